"""Chinese personal names, regions and number plans for the demo centre (data only).

Surname weights are rounded shares (in per mille) of the population, in the order of the
published national surname rankings of the Ministry of Public Security (2019–2020 household
registration statistics); only their rough size matters here. Given-name characters are
common characters of two naming eras (older: 建, 国, 秀, 英 …; younger: 子, 涵, 轩, 萱 …), with
Hanyu Pinyin (without tones) for e-mail addresses. Names of well-known people are rejected by
``BLOCKED_NAMES``; the demo is fiction.

Region codes are the first four digits of GB/T 2260 administrative division codes (province +
prefecture), used as the first digits of the 18-digit resident identity number (GB 11643);
``districts`` gives a few district suffixes of each.
"""

from __future__ import annotations

from typing import NamedTuple

# (surname, pinyin, weight in per mille of the population)
# fmt: off
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "wang", 71.5), ("李", "li", 70.0), ("张", "zhang", 67.0), ("刘", "liu", 54.0),
    ("陈", "chen", 45.0), ("杨", "yang", 31.0), ("黄", "huang", 22.0), ("赵", "zhao", 20.0),
    ("吴", "wu", 20.0), ("周", "zhou", 19.0), ("徐", "xu", 16.0), ("孙", "sun", 15.0),
    ("马", "ma", 14.0), ("朱", "zhu", 13.0), ("胡", "hu", 13.0), ("郭", "guo", 12.0),
    ("何", "he", 12.0), ("林", "lin", 11.0), ("高", "gao", 11.0), ("罗", "luo", 9.0),
    ("郑", "zheng", 9.0), ("梁", "liang", 8.0), ("谢", "xie", 8.0), ("宋", "song", 7.0),
    ("唐", "tang", 7.0), ("许", "xu", 7.0), ("韩", "han", 7.0), ("冯", "feng", 7.0),
    ("邓", "deng", 7.0), ("曹", "cao", 6.0), ("彭", "peng", 6.0), ("曾", "zeng", 6.0),
    ("肖", "xiao", 6.0), ("田", "tian", 5.0), ("董", "dong", 5.0), ("袁", "yuan", 5.0),
    ("潘", "pan", 5.0), ("于", "yu", 5.0), ("蒋", "jiang", 5.0), ("蔡", "cai", 5.0),
    ("余", "yu", 5.0), ("杜", "du", 5.0), ("叶", "ye", 4.5), ("程", "cheng", 4.5),
    ("苏", "su", 4.0), ("魏", "wei", 4.0), ("吕", "lv", 4.0), ("丁", "ding", 4.0),
    ("任", "ren", 4.0), ("沈", "shen", 4.0), ("姚", "yao", 4.0), ("卢", "lu", 4.0),
    ("姜", "jiang", 3.5), ("崔", "cui", 3.5), ("钟", "zhong", 3.5), ("谭", "tan", 3.5),
    ("陆", "lu", 3.0), ("汪", "wang", 3.0), ("范", "fan", 3.0), ("金", "jin", 3.0),
    ("石", "shi", 3.0), ("廖", "liao", 3.0), ("贾", "jia", 3.0), ("夏", "xia", 3.0),
    ("韦", "wei", 3.0), ("付", "fu", 3.0), ("方", "fang", 3.0), ("白", "bai", 3.0),
    ("邹", "zou", 3.0), ("孟", "meng", 3.0), ("熊", "xiong", 3.0), ("秦", "qin", 3.0),
    ("邱", "qiu", 3.0), ("江", "jiang", 3.0), ("尹", "yin", 2.5), ("薛", "xue", 2.5),
    ("闫", "yan", 2.5), ("段", "duan", 2.5), ("雷", "lei", 2.5), ("侯", "hou", 2.5),
    ("龙", "long", 2.5), ("史", "shi", 2.5), ("陶", "tao", 2.0), ("黎", "li", 2.0),
    ("贺", "he", 2.0), ("顾", "gu", 2.0), ("毛", "mao", 2.0), ("郝", "hao", 2.0),
    ("龚", "gong", 2.0), ("邵", "shao", 2.0), ("万", "wan", 2.0), ("钱", "qian", 2.0),
    ("严", "yan", 2.0), ("覃", "qin", 2.0), ("武", "wu", 2.0), ("戴", "dai", 2.0),
    ("莫", "mo", 1.5), ("孔", "kong", 1.5), ("向", "xiang", 1.5), ("汤", "tang", 1.5),
    ("欧阳", "ouyang", 0.3), ("上官", "shangguan", 0.05), ("司马", "sima", 0.05),
    ("诸葛", "zhuge", 0.03),
)
# fmt: on

# Given-name characters: (character, pinyin). "old" dominates names of people born before
# about 1980, "new" those born after about 1995.
# fmt: off
MALE_OLD: tuple[tuple[str, str], ...] = (
    ("建", "jian"), ("国", "guo"), ("军", "jun"), ("强", "qiang"), ("勇", "yong"), ("明", "ming"),
    ("华", "hua"), ("平", "ping"), ("刚", "gang"), ("志", "zhi"), ("文", "wen"), ("海", "hai"),
    ("东", "dong"), ("林", "lin"), ("斌", "bin"), ("峰", "feng"), ("辉", "hui"), ("伟", "wei"),
    ("荣", "rong"), ("德", "de"), ("庆", "qing"), ("兵", "bing"), ("新", "xin"), ("春", "chun"),
    ("生", "sheng"), ("福", "fu"), ("宏", "hong"), ("波", "bo"), ("涛", "tao"), ("亮", "liang"),
)
# fmt: on
# fmt: off
MALE_NEW: tuple[tuple[str, str], ...] = (
    ("子", "zi"), ("轩", "xuan"), ("浩", "hao"), ("宇", "yu"), ("睿", "rui"), ("博", "bo"),
    ("泽", "ze"), ("然", "ran"), ("晨", "chen"), ("俊", "jun"), ("凯", "kai"), ("杰", "jie"),
    ("鹏", "peng"), ("鑫", "xin"), ("帆", "fan"), ("旭", "xu"), ("阳", "yang"), ("磊", "lei"),
    ("超", "chao"), ("航", "hang"), ("铭", "ming"), ("一", "yi"), ("天", "tian"), ("嘉", "jia"),
    ("逸", "yi"), ("宸", "chen"), ("昊", "hao"), ("哲", "zhe"), ("煜", "yu"), ("瑞", "rui"),
)
# fmt: on
# fmt: off
FEMALE_OLD: tuple[tuple[str, str], ...] = (
    ("秀", "xiu"), ("英", "ying"), ("兰", "lan"), ("芳", "fang"), ("珍", "zhen"), ("丽", "li"),
    ("红", "hong"), ("梅", "mei"), ("玉", "yu"), ("凤", "feng"), ("霞", "xia"), ("琴", "qin"),
    ("燕", "yan"), ("萍", "ping"), ("华", "hua"), ("桂", "gui"), ("淑", "shu"), ("敏", "min"),
    ("静", "jing"), ("艳", "yan"), ("娟", "juan"), ("莉", "li"), ("琳", "lin"), ("玲", "ling"),
    ("慧", "hui"), ("春", "chun"), ("云", "yun"), ("洁", "jie"), ("婷", "ting"), ("丹", "dan"),
)
# fmt: on
# fmt: off
FEMALE_NEW: tuple[tuple[str, str], ...] = (
    ("欣", "xin"), ("怡", "yi"), ("涵", "han"), ("萱", "xuan"), ("雨", "yu"), ("桐", "tong"),
    ("梓", "zi"), ("诗", "shi"), ("思", "si"), ("佳", "jia"), ("悦", "yue"), ("琪", "qi"),
    ("晴", "qing"), ("雯", "wen"), ("璐", "lu"), ("瑶", "yao"), ("梦", "meng"), ("可", "ke"),
    ("馨", "xin"), ("若", "ruo"), ("一", "yi"), ("语", "yu"), ("心", "xin"), ("颖", "ying"),
    ("倩", "qian"), ("婧", "jing"), ("嘉", "jia"), ("月", "yue"), ("彤", "tong"), ("妍", "yan"),
)
# fmt: on

# Public figures (entertainment, sport, business, politics, history) and the test personas
# of tests/conftest.py: a generated name equal to one of these is drawn again.
BLOCKED_NAMES: frozenset[str] = frozenset(
    """
    刘德华 王菲 周杰伦 张学友 郭富城 黎明 李连杰 李小龙 成龙 周润发 梁朝伟 张国荣 刘嘉玲 张曼玉
    章子怡 巩俐 范冰冰 赵薇 周迅 杨幂 赵丽颖 刘亦菲 孙俪 黄晓明 邓超 胡歌 王宝强 徐峥 沈腾 吴京
    张艺谋 陈凯歌 冯小刚 姜文 王俊凯 王源 易烊千玺 鹿晗 吴亦凡 杨紫 李宇春 张靓颖 王力宏 林俊杰
    陈奕迅 那英 韩红 宋祖英 彭丽媛 郎朗 李云迪 谭晶 蔡依林 邓紫棋 毛不易 杨洋 李现 肖战 王一博
    姚明 刘翔 李娜 郭晶晶 孙杨 林丹 丁俊晖 张怡宁 马龙 王楠 邓亚萍 朱婷 郎平 苏炳添 谷爱凌
    武大靖 王濛 杨威 李宁 易建联 孔令辉 刘国梁 许海峰 叶诗文 全红婵
    马云 马化腾 李彦宏 王健林 雷军 刘强东 任正非 董明珠 张朝阳 丁磊 王石 柳传志 宗庆后
    李嘉诚 刘永好 许家印 张一鸣 黄峥 王兴 程维 周鸿祎 曹德旺 俞敏洪
    毛泽东 周恩来 刘少奇 朱德 邓小平 陈云 江泽民 胡锦涛 温家宝 习近平 李克强 李强 朱镕基
    李鹏 华国锋 胡耀邦 赵紫阳 乔石 李瑞环 吴邦国 贾庆林 王岐山 杨尚昆 叶剑英 彭德怀 林彪
    贺龙 陈毅 孙中山 蒋介石 宋庆龄 鲁迅 郭沫若 巴金 老舍 莫言 余华 钱学森 袁隆平 屠呦呦
    钟南山 杨利伟 王亚平 李白 杜甫 王维 苏轼 李清照 孔子 孟子 秦始皇 诸葛亮 曹操 刘备 孙权
    王强 赵敏 陈静 张伟 刘洋
    """.split()  # noqa: SIM905 - one long word list reads better as text
)


class Region(NamedTuple):
    """A place customers live: province, city, its GB/T 2260 prefix and a landline code."""

    province: str
    city: str
    code: str  # province + prefecture, four digits
    districts: tuple[str, ...]  # two-digit district suffixes
    area_code: str  # landline prefix, e.g. 027
    weight: float

    @property
    def label(self) -> str:
        """``湖北 武汉``; a municipality is its own province: ``北京``."""
        return self.city if self.province == self.city else f"{self.province} {self.city}"


_D = ("02", "03", "04", "05", "06")

# The home province is Hubei (the centre serves Wuhan first); other regions are where
# customers moved to or registered from.
REGIONS: tuple[Region, ...] = (
    Region("湖北", "武汉", "4201", ("02", "03", "04", "05", "06", "07", "11", "12"), "027", 42.0),
    Region("湖北", "宜昌", "4205", _D, "0717", 4.0),
    Region("湖北", "襄阳", "4206", _D, "0710", 4.0),
    Region("湖北", "荆州", "4210", _D, "0716", 3.5),
    Region("湖北", "黄石", "4202", _D, "0714", 2.5),
    Region("湖北", "十堰", "4203", _D, "0719", 2.0),
    Region("湖北", "孝感", "4209", ("02", "21", "22", "81"), "0712", 3.0),
    Region("湖北", "黄冈", "4211", ("02", "21", "22", "81"), "0713", 3.0),
    Region("湖北", "荆门", "4208", ("02", "04", "22", "81"), "0724", 1.5),
    Region("湖北", "咸宁", "4212", ("02", "21", "22", "81"), "0715", 1.5),
    Region("湖北", "鄂州", "4207", ("02", "03", "04"), "0711", 1.0),
    Region("湖北", "随州", "4213", ("03", "21", "81"), "0722", 1.0),
    Region("湖北", "恩施", "4228", ("01", "02", "22", "23"), "0718", 1.0),
    Region("北京", "北京", "1101", ("01", "02", "05", "06", "07", "08"), "010", 3.0),
    Region("上海", "上海", "3101", ("01", "04", "05", "06", "07", "15"), "021", 3.0),
    Region("广东", "广州", "4401", ("03", "04", "05", "06", "11", "12"), "020", 3.0),
    Region("广东", "深圳", "4403", ("03", "04", "05", "06", "07"), "0755", 3.0),
    Region("湖南", "长沙", "4301", ("02", "03", "04", "05", "11"), "0731", 2.5),
    Region("河南", "郑州", "4101", ("02", "03", "04", "05", "22"), "0371", 2.0),
    Region("河南", "信阳", "4115", ("02", "03", "21", "22"), "0376", 1.0),
    Region("江西", "南昌", "3601", ("02", "03", "04", "11", "21"), "0791", 1.5),
    Region("安徽", "合肥", "3401", ("02", "03", "04", "11", "21"), "0551", 1.5),
    Region("重庆", "重庆", "5001", ("01", "03", "04", "05", "06", "07"), "023", 2.0),
    Region("四川", "成都", "5101", ("04", "05", "06", "07", "08"), "028", 2.0),
    Region("江苏", "南京", "3201", ("02", "04", "05", "06", "13"), "025", 1.5),
    Region("浙江", "杭州", "3301", ("02", "05", "06", "08", "10"), "0571", 1.5),
    Region("陕西", "西安", "6101", ("02", "03", "04", "11", "13"), "029", 1.0),
    Region("山东", "济南", "3701", ("02", "03", "04", "05", "12"), "0531", 1.0),
    Region("福建", "厦门", "3502", ("03", "05", "06", "11"), "0592", 1.0),
)

# Mobile number segments (the first three digits) of the three mainland operators, weighted
# towards the segments a telecom customer base like the demo's mostly holds.
# fmt: off
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("134", 3.0), ("135", 5.0), ("136", 5.0), ("137", 5.0), ("138", 6.0), ("139", 6.0),
    ("147", 1.0), ("150", 3.0), ("151", 3.0), ("152", 3.0), ("157", 2.0), ("158", 3.0),
    ("159", 3.0), ("172", 0.5), ("178", 2.0), ("182", 3.0), ("183", 3.0), ("184", 1.0),
    ("187", 3.0), ("188", 3.0), ("195", 1.0), ("197", 0.5), ("198", 2.0), ("130", 1.5),
    ("131", 1.5), ("132", 1.0), ("155", 1.0), ("156", 1.5), ("166", 0.5), ("175", 0.5),
    ("176", 1.0), ("185", 1.0), ("186", 1.5), ("133", 1.0), ("153", 1.0), ("173", 0.5),
    ("177", 0.5), ("180", 1.0), ("181", 0.5), ("189", 1.5), ("191", 0.3), ("199", 0.7),
)
# fmt: on

# fmt: off
MAIL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("qq.com", 40.0), ("163.com", 22.0), ("126.com", 10.0), ("139.com", 10.0), ("sina.com", 5.0),
    ("foxmail.com", 5.0), ("outlook.com", 3.0), ("yeah.net", 2.0), ("gmail.com", 1.0),
    ("aliyun.com", 2.0),
)
# fmt: on
