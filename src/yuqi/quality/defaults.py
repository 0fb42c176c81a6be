"""The built-in QA forms (Chinese and English) and the default phrase list.

Sources: [seed-002] (accurate answers, 所答为所问, training and supervision), [seed-003] (the six
steps to lower an expectation the centre cannot meet, then agreement; 对事/对人 at the callback
per [seed-001]), [seed-000]/[seed-004] (promise management: leave room, no 空头支票).
Plain data: read by the data migration and by ``services.qa_forms_install_defaults``.
"""

from __future__ import annotations


def _item(key, text, text_en, points, *, na=False, auto_fail=False, tag=""):
    return {
        "key": key,
        "text": text,
        "text_en": text_en,
        "points": points,
        "na_allowed": na,
        "auto_fail": auto_fail,
        "tag": tag,
    }


def _section(key, title, title_en, *items):
    return {"key": key, "title": title, "title_en": title_en, "items": list(items)}


ANSWERED_ASKED = _item(
    "answered_asked",
    "所答为所问:回答针对客户所问,准确完整",
    "Answered what was asked, accurately and completely",
    20,
    tag="answered_asked",
)
PROMISE_STANDARD = _item(
    "promise_standard",
    "承诺在服务标准之内(与承诺台账一致,无空头支票)",
    "Any promise was within the service standard (matches the promise ledger)",
    15,
    na=True,
    auto_fail=True,
    tag="promise",
)

CALL_HANDLING = {
    "sections": [
        _section(
            "opening", "开场", "Opening",
            _item("greeting", "规范问候并报工号", "Standard greeting with work number", 5),
            _item("verify", "按规定核实客户身份", "Verified the caller as required", 5, na=True,
                  auto_fail=True),
        ),
        _section(
            "handling", "问题处理", "Handling",
            _item("grasp", "迅速准确地把握客户问题", "Grasped the customer's issue quickly", 15),
            ANSWERED_ASKED,
            _item("accuracy", "信息准确,无误导", "Information correct, nothing misleading", 15,
                  auto_fail=True),
            PROMISE_STANDARD,
        ),
        _section(
            "manner", "服务态度", "Manner",
            _item("courtesy", "礼貌、耐心,不推诿", "Courteous and patient, no passing the buck",
                  10),
            _item("closing", "确认问题解决并规范结束", "Confirmed resolution and closed properly",
                  5),
            _item("notes", "按要求记录小结", "Wrote the wrap-up notes as required", 10),
        ),
    ]
}  # fmt: skip

COMPLAINT_HANDLING = {
    "sections": [
        _section(
            "listen", "聆听与理解", "Listening",
            _item("listen", "耐心聆听,不争辩", "Listened patiently without arguing", 10),
            ANSWERED_ASKED,
        ),
        _section(
            "six_steps", "降低期望值六步", "Six steps to set the expectation",
            _item("step1", "为客户设定期望值:哪些能得到,哪些无法得到",
                  "Set the expectation: what the customer can and cannot get", 5, tag="step1"),
            _item("step2", "通过沟通了解期望并排序", "Learned the expectations and ranked them",
                  5, tag="step2"),
            _item("step3", "委婉告知哪些可能实现、哪些不可能",
                  "Said tactfully which are possible and which are not", 5, tag="step3"),
            _item("step4", "及时说明不能满足的理由", "Gave the reasons promptly", 5,
                  tag="step4"),
            _item("step5", "从情感上表达理解", "Showed understanding of the feelings", 5,
                  tag="step5"),
            _item("step6", "表达公司对投诉影响的重视",
                  "Said the company takes the impact seriously",
                  5, tag="step6"),
        ),
        _section(
            "agreement", "达成协议", "Agreement",
            _item("agreement", "提出建议方案或承诺并获得客户同意",
                  "Proposed a solution or promise and got the customer's agreement", 10),
            PROMISE_STANDARD,
        ),
        _section(
            "callback", "回访(对事/对人)", "Callback (matter / person)",
            _item("matter", "对事:问题已解决、期望已达成", "Matter: solved, expectation met", 10,
                  na=True, tag="matter"),
            _item("person", "对人:客户认可服务态度", "Person: the customer felt well treated",
                  5, na=True, tag="person"),
        ),
    ]
}  # fmt: skip

MYSTERY_SHOPPING = {
    "sections": [
        _section(
            "access", "接入", "Getting through",
            _item("wait", "等待时长在标准之内", "Waited within the standard", 10),
            _item("ivr", "语音导航清晰易用", "IVR clear and easy", 10, na=True),
        ),
        _section(
            "service", "服务", "Service",
            ANSWERED_ASKED,
            _item("accuracy", "信息准确", "Information correct", 20, auto_fail=True),
            _item("courtesy", "礼貌、耐心", "Courteous and patient", 10),
            PROMISE_STANDARD,
        ),
    ]
}  # fmt: skip

BUILTIN_FORMS = (
    ("call-handling", "来电处理质检表", "Call handling", "call", CALL_HANDLING),
    ("complaint-handling", "投诉处理质检表", "Complaint handling", "complaint", COMPLAINT_HANDLING),
    ("mystery-shopping", "神秘顾客评分表", "Mystery shopping", "mystery", MYSTERY_SHOPPING),
)

DEFAULT_PHRASES = (
    ("不知道", "forbidden"),
    ("没办法", "forbidden"),
    ("这不归我们管", "forbidden"),
    ("不归我管", "forbidden"),
    ("你自己看", "discouraged"),
    ("不清楚", "discouraged"),
    ("肯定没问题", "discouraged"),
    ("I don't know", "forbidden"),
    ("not our problem", "forbidden"),
)


def ensure_defaults(form_model, version_model, phrase_model) -> None:
    """Create the built-in forms (version 1) and the default phrases that are missing; never
    touches edited ones. Used by migration 0002 (historical models) and after a flush (tests)."""
    from yuqi.core.clock import now
    from yuqi.domain.qa_forms import parse_form

    moment = now()
    for code, name, name_en, kind, structure in BUILTIN_FORMS:
        form, created = form_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind, "builtin": True}
        )
        if created:
            version_model.objects.create(
                form=form,
                number=1,
                structure=structure,
                max_points=parse_form(structure).max_points,
                published_at=moment,
            )
    for phrase, severity in DEFAULT_PHRASES:
        phrase_model.objects.get_or_create(phrase=phrase, defaults={"severity": severity})
