from textmine.output.outputs import safe_name


def test_group_names_become_safe_file_names():
    assert safe_name("北京") == "北京"
    assert safe_name("a/b:c*") == "a_b_c_"
    long = "广州市" * 20
    name = safe_name(long)
    assert len(name.encode("utf-8")) <= 80 and name.startswith("广州市") and name != safe_name(long + "区")
