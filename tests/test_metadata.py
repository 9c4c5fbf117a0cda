from textmine.ingest.extract import extract_file
from textmine.ingest.metadata import policy_metadata

from conftest import FIXTURES, truth


def test_typeset_notice_with_red_header():
    text = extract_file(FIXTURES / "real-pdfs" / "govdoc-cn-397" / "397.pdf").text
    assert policy_metadata(text) == {
        "doc_number": "发改办财金规〔2019〕860号",
        "title": "关于加强个人所得税纳税信用建设的通知",
        "issuer": "发展改革委办公厅、税务总局办公厅",
        "issued": "2019-08-20",
    }


def test_regulations():
    assert policy_metadata(truth("bj0004")) == {
        "title": "北京中轴线文化遗产保护条例",
        "issued": "2022-05-25",
        "in_force": "2022-10-01",
    }
    assert policy_metadata(truth("sh0010")) == {"title": "上海市人才流动条例", "in_force": "1997-04-01"}


def test_notice_signed_at_the_end():
    text = (
        "北京市人民政府关于加快建设高水平人才高地的意见\n京政发〔2021〕30号\n各区人民政府，市政府各委、办、局：\n"
        "为深入实施人才强国战略，提出如下意见。\n本意见自印发之日起施行。\n北京市人民政府\n2021年11月5日"
    )
    assert policy_metadata(text) == {
        "doc_number": "京政发〔2021〕30号",
        "title": "北京市人民政府关于加快建设高水平人才高地的意见",
        "issuer": "北京市人民政府",
        "issued": "2021-11-05",
        "in_force": "2021-11-05",
    }
