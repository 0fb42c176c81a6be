"""Knowledge search benchmark: 10,000 generated articles plus the starter set, on SQLite and
PostgreSQL; search latency and relevance (MRR@5) against a plain ``LIKE '%…%'`` baseline.

    .venv/bin/python bench/knowledge_bench.py [--articles 10000] [--pg postgresql://…]

Per backend (a fresh data folder for SQLite; the given PostgreSQL database, whose knowledge
tables are emptied first) a child process migrates, installs the starter content
(``yuqi knowledge seed``), generates ``--articles`` articles — 17 regions × 40 products × 15
questions (开通, 退订, 资费, 扣费 …), each with a templated Chinese body — and indexes them
with the same code as publishing does (``yuqi.domain.text.search.index_terms``), written in
bulk. Then it runs the query set three times and reports:

* **latency**: p50 / p95 / max of ``knowledge.selectors.rank`` (query parsing, synonym
  expansion, the postings query, BM25 in Python, visibility filter), in ms;
* **MRR@5**: mean over queries of 1/rank of the expected article when it is in the top 5,
  else 0; also hit@1 and hit@5;
* the same queries through a plain ``LIKE '%query%'`` on the published titles and bodies
  (the baseline a naive knowledge base ships), newest first.

The query set (``queries()``): 60 questions written in customers' own words for the starter
articles, and 100 for generated ones, drawn with a fixed seed from several colloquial
phrasings per question type — none is an article title.

Measured 2026-12-05 on the shared 2-core development machine (other jobs running), 10,024
articles, 321,210 postings, 160 queries × 3:

==========  =====  =====  =====  ======  ======
backend     MRR@5  hit@1  hit@5  p50 ms  p95 ms
==========  =====  =====  =====  ======  ======
SQLite      0.888  0.844  0.950    17.4    36.0
  LIKE      0.006  0.006  0.006    20.8    33.8
PostgreSQL  0.888  0.844  0.950    12.2    32.1
  LIKE      0.006  0.006  0.006    20.0    32.0
==========  =====  =====  =====  ======  ======

Both backends give the same MRR, hits and misses (the per-query orders were not compared
here; ``tests/knowledge/test_seed_and_search.py`` checks the SQL ranking against the domain's
``bm25_rank`` on each backend).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

REGIONS = (
    "北京", "上海", "广东", "江苏", "浙江", "四川", "湖北", "山东", "河南", "福建",
    "湖南", "安徽", "河北", "陕西", "重庆", "天津", "广西",
)  # fmt: skip
PRODUCTS = (
    "5G畅享套餐", "冰激凌套餐", "天翼云盘", "IPTV电视", "家庭固话", "千兆宽带", "百兆宽带",
    "亲情号码", "流量日租包", "国际漫游包", "视频彩铃", "来电显示", "副卡", "物联网卡",
    "企业专线", "云电脑", "智慧家庭组网", "全屋WiFi", "看家摄像头", "翼支付", "积分商城",
    "充值卡", "靓号", "校园卡", "老年卡", "视频会员", "短信包", "语音包", "定向流量包",
    "5G升级包", "宽带续约", "融合套餐", "家庭共享流量", "境外流量包", "电子发票", "话费账单",
    "号码过户", "实名认证", "SIM卡补换", "eSIM手表",
)  # fmt: skip
# question key: (title suffix, body, customer phrasings); {r} region, {p} product
ISSUES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "open": (
        "如何开通",
        "{r}用户可登录App“办理”页面开通{p}，也可携带身份证到{r}各营业厅办理，办理成功后次日生效。",
        ("我想开通{p}，在{r}怎么弄", "{r}这边{p}在哪里办理", "{r}能不能办个{p}"),
    ),
    "cancel": (
        "如何取消退订",
        "{r}用户退订{p}：登录App“已订业务”选择退订，或发送短信TD到10001；退订次月生效，当月费用照常收取。",
        ("{p}不想要了，{r}怎么退掉", "在{r}怎么把{p}关掉", "{r}的{p}怎么取消啊"),
    ),
    "price": (
        "资费标准说明",
        "{p}在{r}的资费标准：按月收取功能费，具体价格以{r}公示为准，新用户首月按天折算。",
        ("{r}的{p}一个月多少钱", "{p}在{r}收费多少", "{r}{p}价格贵不贵"),
    ),
    "charge": (
        "扣费异常处理",
        "如对{r}{p}的扣费有疑问，可查询详单核对；确认误扣的，核实后3个工作日内退还。",
        ("{r}的{p}乱扣我钱", "{p}莫名其妙扣费了，我是{r}的", "{r}{p}多扣了钱怎么回事"),
    ),
    "broken": (
        "无法使用故障排查",
        "{p}无法使用时，请先重启设备并检查欠费状态；{r}用户仍无法使用可在App报障，24小时内处理。",
        ("{p}用不了了，我在{r}", "{r}的{p}坏了没反应", "{r}{p}突然不能用"),
    ),
    "change": (
        "变更与升级",
        "{r}用户可随时申请{p}升级，降档变更次月生效；合约期内变更需符合合约规定。",
        ("{r}{p}能换成别的档位吗", "想升级{p}，{r}的", "{r}{p}怎么改成便宜的"),
    ),
    "renew": (
        "到期续约说明",
        "{p}到期前30天会短信提醒，{r}用户回复短信或在App即可续约，逾期未续约自动恢复标准资费。",
        ("{p}快到期了，{r}怎么续", "{r}{p}过期了还能用吗", "{r}的{p}合约满了怎么办"),
    ),
    "refund": (
        "退费流程",
        "{r}{p}退费：提交申请后审核，审核通过后3个工作日内原路退回，银行到账时间以银行为准。",
        ("{r}{p}的钱能退吗", "{p}退款多久到账，{r}", "{r}{p}退钱怎么申请"),
    ),
    "invoice": (
        "发票开具",
        "{r}用户可在App“费用-发票”中为{p}开具电子发票，也可到营业厅打印纸质发票。",
        ("{r}{p}怎么开发票", "{p}的发票在哪下载，{r}", "{r}{p}报销要发票"),
    ),
    "promo": (
        "优惠活动规则",
        "{r}近期{p}优惠：新装首年八折，老用户续约赠送流量；活动以{r}官方公告为准。",
        ("{r}{p}有啥优惠", "{p}现在打折吗，{r}", "{r}{p}有没有活动"),
    ),
    "papers": (
        "办理条件与所需材料",
        "在{r}办理{p}需本人有效身份证件，代办需提供双方身份证和授权书；企业客户需营业执照。",
        ("{r}办{p}要带什么证件", "{p}需要什么材料，{r}", "{r}帮家人办{p}行不行"),
    ),
    "transfer": (
        "过户与迁移",
        "{r}{p}可办理过户，原户主与新户主需同时到场；跨地区迁移需先在{r}销户再新装。",
        ("{r}的{p}能转给家人吗", "{p}怎么过户，{r}", "{r}{p}换户主"),
    ),
    "penalty": (
        "合约期与违约金",
        "{r}{p}合约期内提前解约需按剩余月数支付违约金，合约期满后可随时取消。",
        ("{r}{p}提前解约要赔钱吗", "{p}违约金多少，{r}", "{r}{p}合约没到能退吗"),
    ),
    "complain": (
        "投诉与申诉渠道",
        "对{r}{p}的服务不满意，可拨打客服热线投诉，我们2个工作小时内回电；仍不满意可向管局申诉。",
        ("{r}{p}的问题找谁投诉", "对{p}不满意怎么投诉，{r}", "{r}{p}一直没解决要投诉"),
    ),
    "limits": (
        "使用限制说明",
        "{p}仅限{r}本地使用部分功能，异地使用需开通漫游；部分终端不支持，请以说明为准。",
        ("{p}有什么限制，{r}", "{r}{p}能在外地用吗", "{r}{p}出省还能用吗"),
    ),
}

# (customer's question, starter article key): none is the title
STARTER_QUERIES: tuple[tuple[str, str], ...] = (
    ("家里网断了一天了", "faq-broadband-down"),
    ("宽带连不上了咋办", "faq-broadband-down"),
    ("光猫红灯一直闪", "faq-broadband-down"),
    ("网突然没了，要报修", "faq-broadband-down"),
    ("上不了网了怎么回事", "faq-broadband-down"),
    ("网速特别慢", "faq-broadband-slow"),
    ("wifi很卡，看视频一直转圈", "faq-broadband-slow"),
    ("测速达不到签约带宽", "faq-broadband-slow"),
    ("宽带网速太慢了", "faq-broadband-slow"),
    ("手机在家里没信号", "faq-mobile-signal"),
    ("信号差电话老是打不通", "faq-mobile-signal"),
    ("小区手机信号很弱", "faq-mobile-signal"),
    ("这个月话费扣多了", "faq-overcharge"),
    ("莫名其妙被扣了钱", "faq-overcharge"),
    ("账单里有不认识的增值业务收费", "faq-overcharge"),
    ("乱收费怎么查", "faq-overcharge"),
    ("扣费明细在哪里看", "faq-overcharge"),
    ("退款什么时候能到", "faq-refund-time"),
    ("钱退了几天到账", "faq-refund-time"),
    ("退回的钱多久能收到", "faq-refund-time"),
    ("欠费停机了怎么开机", "faq-reconnect"),
    ("交了钱还是停机", "faq-reconnect"),
    ("停机以后怎么恢复通话", "faq-reconnect"),
    ("缴费后多久复机", "faq-reconnect"),
    ("改套餐啥时候生效", "faq-plan-change"),
    ("换个便宜的套餐下个月能用吗", "faq-plan-change"),
    ("套餐降档当月生效吗", "faq-plan-change"),
    ("怎么转到别的运营商", "faq-number-porting"),
    ("不换号码换运营商", "faq-number-porting"),
    ("携号转网需要什么条件", "faq-number-porting"),
    ("投诉了怎么还没人回电话", "faq-callback"),
    ("说好的回电一直没打来", "faq-callback"),
    ("多久能给我回个电话", "faq-callback"),
    ("流量用超了怎么收费", "faq-data-overuse"),
    ("流量不够用了买什么", "faq-data-overuse"),
    ("套餐外流量多少钱", "faq-data-overuse"),
    ("搬家了宽带怎么移过去", "faq-broadband-install"),
    ("新房子想装宽带", "faq-broadband-install"),
    ("装宽带多久能上门", "faq-broadband-install"),
    ("怎么开电子发票", "faq-invoice"),
    ("电子账单在哪下载", "faq-invoice"),
    ("服务密码忘了", "faq-password"),
    ("查询密码不记得了怎么重置", "faq-password"),
    ("出国手机怎么用", "faq-roaming"),
    ("去日本旅游要开漫游吗", "faq-roaming"),
    ("不用这个号了怎么注销", "faq-close-account"),
    ("宽带拆机要还光猫吗", "faq-close-account"),
    ("金卡客户有专属客户经理吗", "faq-vip-perks"),
    ("VIP报修能优先吗", "faq-vip-perks"),
    ("客户提的要求做不到怎么降低期望", "playbook-six-steps"),
    ("客户期望太高怎么沟通", "playbook-six-steps"),
    ("越级投诉要怎么处理", "playbook-complaint-levels"),
    ("工信部申诉的处理原则", "playbook-complaint-levels"),
    ("能不能先答应客户再说", "policy-promise-margin"),
    ("空头支票", "policy-promise-margin"),
    ("维修承诺几个小时内修好", "policy-service-standards"),
    ("赔偿金额上限是多少", "policy-service-standards"),
    ("客户很生气吵起来了", "script-complainer-irate"),
    ("客户说要找媒体曝光", "script-complainer-activist"),
    ("客户不吭声直接走了", "script-complainer-passive"),
)


def queries(
    articles: int = 10_000, seed: int = 20261205, generated: int = 100
) -> list[tuple[str, tuple[str, ...]]]:
    """(question, expected: ("key", k) for starter or ("gen", region, product, issue))."""
    rng = random.Random(seed)
    out: list[tuple[str, tuple[str, ...]]] = [(q, ("key", k)) for q, k in STARTER_QUERIES]
    keys = [key for key, *_ in generated_rows(articles)]
    for _ in range(generated):
        r, p, i = rng.choice(keys)
        phrasing = rng.choice(ISSUES[i][2])
        out.append((phrasing.format(r=r, p=p), ("gen", r, p, i)))
    return out


def generated_rows(count: int):
    n = 0
    for i, (suffix, body, _) in ISSUES.items():
        for p in PRODUCTS:
            for r in REGIONS:
                if n >= count:
                    return
                yield (r, p, i), f"{r}{p}{suffix}", body.format(r=r, p=p), (p, r)
                n += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _bulk_build(m, count: int, now) -> tuple[list, list]:
    """Write ``count`` generated articles, their versions and their postings in bulk."""
    from auditlog.registry import auditlog
    from django.db import transaction

    from yuqi.domain.text.search import index_terms

    for model in (m.Article, m.ArticleVersion):  # bulk writes: the audit log is not measured
        if auditlog.contains(model):
            auditlog.unregister(model)
    rows = list(generated_rows(count))
    with transaction.atomic():
        articles = m.Article.objects.bulk_create(
            [
                m.Article(kind="answer", status="published", audience="public",
                          created_at=now, updated_at=now)
                for _ in rows
            ],
            batch_size=2000,
        )  # fmt: skip
        versions = m.ArticleVersion.objects.bulk_create(
            [
                m.ArticleVersion(article=a, number=1, title=title, body=body, tags=list(tags),
                                 created_at=now)
                for a, (_, title, body, tags) in zip(articles, rows, strict=True)
            ],
            batch_size=2000,
        )  # fmt: skip
        for a, v in zip(articles, versions, strict=True):
            a.published_version = a.latest_version = v
        m.Article.objects.bulk_update(
            articles, ["published_version", "latest_version"], batch_size=2000
        )
        documents, postings = [], []
        for a, (_, title, body, tags) in zip(articles, rows, strict=True):
            indexed = index_terms(title=title, tags=tags, body=body)
            documents.append(m.SearchDocument(article_id=a.pk, length=indexed.length))
            postings.extend(
                m.SearchPosting(term=t[:40], article_id=a.pk, weight=w, length=indexed.length)
                for t, w in indexed.frequencies.items()
            )
        m.SearchDocument.objects.bulk_create(documents, batch_size=5000)
        m.SearchPosting.objects.bulk_create(postings, batch_size=5000)
    return articles, rows


def child(count: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from yuqi.core import clock
    from yuqi.knowledge import models as m
    from yuqi.knowledge import selectors
    from yuqi.knowledge.seed import seed_all

    for model in (m.SearchPosting, m.SearchDocument, m.ArticleUse, m.SearchLog):
        model.objects.all().delete()
    m.Article.objects.update(published_version=None, latest_version=None, replaces=None)
    m.ArticleVersion.objects.all().delete()
    m.Article.objects.all().delete()
    m.SynonymGroup.objects.all().delete()
    m.Category.objects.filter(parent__isnull=False).delete()
    m.Category.objects.all().delete()
    seed_all()

    started = time.perf_counter()
    articles, rows = _bulk_build(m, count, clock.now())
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":  # as autovacuum would: statistics, visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE knowledge_searchposting")
            cursor.execute("VACUUM ANALYZE knowledge_searchdocument")
            cursor.execute("VACUUM ANALYZE knowledge_article")

    generated_id = {key: a.pk for a, (key, *_rest) in zip(articles, rows, strict=True)}
    keyed = dict(m.Article.objects.exclude(key=None).values_list("key", "pk"))

    def expected_id(expected: tuple[str, ...]) -> int:
        if expected[0] == "key":
            return keyed[expected[1]]
        return generated_id[expected[1:]]

    query_set = queries(count)
    selectors.rank("预热")  # jieba's dictionary loads once per process
    if os.environ.get("KB_BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for question, _ in query_set:
            selectors.rank(question, limit=5)
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)

    def like(query: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id FROM knowledge_article a JOIN knowledge_articleversion v "
                "ON v.id = a.published_version_id WHERE v.title LIKE %s OR v.body LIKE %s "
                "ORDER BY a.id DESC LIMIT 5",
                [f"%{query}%", f"%{query}%"],
            )
            return [row[0] for row in cursor.fetchall()]

    report = {"vendor": connection.vendor, "articles": m.SearchDocument.objects.count(),
              "postings": m.SearchPosting.objects.count(), "build_s": round(build_seconds, 1),
              "queries": len(query_set)}  # fmt: skip
    for name, engine in (("bm25", lambda q: [i for i, _ in selectors.rank(q, limit=5)]),
                         ("like", like)):  # fmt: skip
        times, reciprocal, hit1, hit5, misses = [], [], 0, 0, []
        for repeat in range(3):
            for question, expected in query_set:
                t0 = time.perf_counter()
                found = engine(question)
                times.append((time.perf_counter() - t0) * 1000)
                if repeat:
                    continue
                target = expected_id(expected)
                position = found.index(target) + 1 if target in found[:5] else 0
                reciprocal.append(1 / position if position else 0.0)
                hit1 += position == 1
                hit5 += position > 0
                if not position and name == "bm25":
                    misses.append(question)
        report[name] = {
            "mrr5": round(statistics.fmean(reciprocal), 4),
            "hit1": round(hit1 / len(query_set), 4),
            "hit5": round(hit5 / len(query_set), 4),
            "p50_ms": round(_percentile(times, 0.50), 2),
            "p95_ms": round(_percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2),
        }
        if name == "bm25":
            report["bm25_misses"] = misses[:20]
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/yuqi_knowledge")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.articles), ensure_ascii=False))
        return 0
    reports = []
    for backend in ("sqlite", "postgresql"):
        if args.only and backend != args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="yuqi-kb-bench-") as folder:
            env = dict(os.environ, YUQI_DATA_DIR=folder)
            env.pop("DATABASE_URL", None)
            if backend == "postgresql":
                env["DATABASE_URL"] = args.pg
            done = subprocess.run(
                [sys.executable, __file__, "--child", "--articles", str(args.articles)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                return 1
            if os.environ.get("KB_BENCH_PROFILE"):
                print(done.stderr[-8000:], file=sys.stderr)
            reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for r in reports:
        print(
            f"\n{r['vendor']}: {r['articles']} indexed articles, {r['postings']} postings, "
            f"built in {r['build_s']} s, {r['queries']} queries × 3"
        )
        print(f"{'':8}{'MRR@5':>8}{'hit@1':>8}{'hit@5':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for name in ("bm25", "like"):
            s = r[name]
            print(
                f"{name:8}{s['mrr5']:8.3f}{s['hit1']:8.3f}{s['hit5']:8.3f}"
                f"{s['p50_ms']:9.2f}{s['p95_ms']:9.2f}{s['max_ms']:9.2f}"
            )
        if r.get("bm25_misses"):
            print("not in the BM25 top 5:", "；".join(r["bm25_misses"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
