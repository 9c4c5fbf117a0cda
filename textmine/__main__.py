"""``python -m textmine`` and the ``textmine`` command."""

import sys


def entry() -> None:
    """The command's entry point: loads the command line, then runs it. A Ctrl-C while the command
    is still loading is one line too, never a traceback."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("textmine: interrupted\n")
        raise SystemExit(130) from None
    main(prog_name="textmine")


if __name__ == "__main__":  # worker processes import this module too; only the real entry point runs the CLI
    entry()
