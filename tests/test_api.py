"""The public API is what __all__ says, and every name in it is documented."""

import textmine


def test_all_names_exist_and_are_documented():
    for name in textmine.__all__:
        obj = getattr(textmine, name)
        if name != "__version__":
            assert obj.__doc__, f"textmine.{name} has no docstring"


def test_all_lists_every_public_name():
    # dir(): the names are imported on first use, so vars() holds only those used so far
    public = {n for n in dir(textmine) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(textmine, n)).__name__ == "module"}
    assert public - modules == set(textmine.__all__) - {"__version__"}
