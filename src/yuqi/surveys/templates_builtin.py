# ruff: noqa: E501 (tables of bilingual question texts read better one row a line)
"""The built-in survey templates, shipped as data and installed by
``services.survey_install_templates`` (idempotent: an installed template is left alone).

* ``servqual-call-centre``: the 22 SERVQUAL items of Parasuraman, Zeithaml & Berry (1988),
  reworded for a customer-service centre (hotline, IVR, agents, callbacks), each asked as
  expectation and perception on 1–7, plus the 100-point importance allocation.
* ``kano-service-features``: Kano pairs for service features the sources name (回拨, queue
  position, a dedicated adviser, WeChat status notices, night-time agents, expert seats).
* ``post-contact``: the 对事/对人 check after a contact ([seed-001]): was it resolved, how
  pleasant was the agent, and an open comment.
* ``relationship-nps``: likelihood to recommend, the main reason, overall satisfaction and
  effort.
"""

from __future__ import annotations

from typing import Any

from yuqi.surveys.choices import QuestionType, SurveyKind

# Codes of the post-contact questions the closed loop reads (services.response_submit).
POST_CONTACT_TEMPLATE = "post-contact"
RESOLVED_CODE = "resolved"
ATTITUDE_CODE = "attitude"

_SERVQUAL_ITEMS: tuple[tuple[str, str, str], ...] = (
    # tangibles
    ("tangibles", "服务热线、APP和网站界面现代、易用", "The hotline, app and website are modern and easy to use"),
    ("tangibles", "语音导航（IVR）清晰、层级少", "The voice menu (IVR) is clear and has few levels"),
    ("tangibles", "座席人员说话专业、得体", "Agents sound professional and well-presented"),
    ("tangibles", "账单、短信和邮件等资料清楚易懂", "Bills, text messages and e-mails are clear and easy to understand"),
    # reliability
    ("reliability", "承诺在某个时间内办好的事，就会按时办好", "When the centre promises to do something by a certain time, it does so"),
    ("reliability", "客户遇到问题时，真诚地帮助解决", "When you have a problem, the centre shows a sincere interest in solving it"),
    ("reliability", "第一次就把事情办对", "The centre gets things right the first time"),
    ("reliability", "在承诺的时间回电、回访", "Callbacks and follow-ups happen at the promised time"),
    ("reliability", "业务记录和账单准确无误", "Records and bills are accurate"),
    # responsiveness
    ("responsiveness", "告诉客户事情办好的确切时间", "You are told exactly when things will be done"),
    ("responsiveness", "电话能很快接通，等待时间短", "Calls get through quickly, with a short wait"),
    ("responsiveness", "座席总是乐意帮助客户", "Agents are always willing to help you"),
    ("responsiveness", "座席再忙也会及时回应客户的请求", "Agents are never too busy to respond to your requests"),
    # assurance
    ("assurance", "座席的言行让客户放心", "The behaviour of agents instils confidence in you"),
    ("assurance", "办理业务时感到安全，个人信息受到保护", "You feel safe in your dealings; your personal data is protected"),
    ("assurance", "座席始终礼貌待客", "Agents are consistently courteous"),
    ("assurance", "座席有足够的知识回答客户的问题", "Agents have the knowledge to answer your questions"),
    # empathy
    ("empathy", "给予客户个别的关注", "The centre gives you individual attention"),
    ("empathy", "服务时间方便客户（如夜间人工服务）", "Service hours are convenient for you (e.g. human agents at night)"),
    ("empathy", "有专人（专属客服）关心客户", "Someone (a dedicated adviser) gives you personal attention"),
    ("empathy", "把客户的利益放在心上", "The centre has your best interests at heart"),
    ("empathy", "理解客户的具体需求", "Agents understand your specific needs"),
)  # fmt: skip

_KANO_FEATURES: tuple[tuple[str, str, str], ...] = (
    ("callback", "排队时可选择挂机，由客服稍后回拨", "Hang up while queuing and get a call back"),
    ("queue-position", "排队时播报前面还有几位、预计等待时间", "Hear your queue position and expected wait"),
    ("dedicated-adviser", "有专属客服经理对接", "A dedicated adviser who knows you"),
    ("wechat-notice", "通过微信通知业务办理进度", "Progress notices on WeChat"),
    ("night-agents", "夜间（22:00–8:00）也有人工服务", "Human agents at night (22:00–8:00)"),
    ("expert-seat", "复杂问题直接转专家座席", "Complex problems go straight to an expert agent"),
)  # fmt: skip


def _servqual_questions() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = [
        {
            "code": f"sq{number:02d}",
            "type": QuestionType.SERVQUAL_ITEM,
            "dimension": dimension,
            "text": text,
            "text_en": text_en,
            "help": "期望：一家优秀的客服中心应该做到的程度；感知：我们实际做到的程度。",
            "help_en": "Expectation: how far an excellent service centre should do this; "
            "perception: how far we do it.",
            "label_low": "非常不同意",
            "label_low_en": "Strongly disagree",
            "label_high": "非常同意",
            "label_high_en": "Strongly agree",
        }
        for number, (dimension, text, text_en) in enumerate(_SERVQUAL_ITEMS, start=1)
    ]
    questions.append(
        {
            "code": "importance",
            "type": QuestionType.IMPORTANCE_ALLOCATION,
            "text": "请把100分分配给以下五个方面，越重要的方面分数越高。",
            "text_en": "Please share 100 points among these five aspects: "
            "the more important, the more points.",
        }
    )
    return questions


def _kano_questions() -> list[dict[str, Any]]:
    return [
        {
            "code": f"k-{feature}",
            "type": QuestionType.KANO_PAIR,
            "feature": feature,
            "text": text,
            "text_en": text_en,
        }
        for feature, text, text_en in _KANO_FEATURES
    ]


TEMPLATES: dict[str, dict[str, Any]] = {
    "servqual-call-centre": {
        "title": "客服中心服务质量调查（SERVQUAL）",
        "title_en": "Service centre quality survey (SERVQUAL)",
        "kind": SurveyKind.SERVQUAL,
        "intro": "感谢您抽出时间。每一项请先评价您的期望，再评价我们的实际表现（1–7分）。",
        "intro_en": "Thank you for your time. For each statement, rate first what you expect, "
        "then how we actually do (1–7).",
        "questions": _servqual_questions(),
    },
    "kano-service-features": {
        "title": "服务功能需求调查（Kano）",
        "title_en": "Service features survey (Kano)",
        "kind": SurveyKind.KANO,
        "intro": "对于每一项服务，请分别告诉我们：如果提供，您的感受；如果不提供，您的感受。",
        "intro_en": "For each service, tell us how you would feel if we offered it, "
        "and how you would feel if we did not.",
        "questions": _kano_questions(),
    },
    POST_CONTACT_TEMPLATE: {
        "title": "服务回访（对事/对人）",
        "title_en": "After your contact",
        "kind": SurveyKind.POST_CONTACT,
        "intro": "您最近联系了我们的客服中心，请用一分钟告诉我们您的感受。",
        "intro_en": "You recently contacted our service centre. "
        "Please take a minute to tell us how it went.",
        "questions": [
            {
                "code": RESOLVED_CODE,
                "type": QuestionType.SINGLE_CHOICE,
                "text": "这个问题解决了吗？是您希望的进展吗？",
                "text_en": "Was your issue resolved the way you hoped?",
                "options": [
                    {"code": "yes", "label": "解决了", "label_en": "Yes", "value": 1},
                    {"code": "no", "label": "没有解决", "label_en": "No", "value": 0},
                ],
            },
            {
                "code": ATTITUDE_CODE,
                "type": QuestionType.CSAT,
                "text": "您对客服人员的服务态度满意吗？",
                "text_en": "How satisfied are you with how the agent treated you?",
                "label_low": "很不满意",
                "label_low_en": "Very dissatisfied",
                "label_high": "非常满意",
                "label_high_en": "Very satisfied",
            },
            {
                "code": "comment",
                "type": QuestionType.TEXT,
                "required": False,
                "text": "还有什么想告诉我们的吗？",
                "text_en": "Anything else you would like to tell us?",
            },
        ],
    },
    "relationship-nps": {
        "title": "客户推荐度调查（NPS）",
        "title_en": "Would you recommend us? (NPS)",
        "kind": SurveyKind.NPS,
        "intro": "您的意见帮助我们改进服务。",
        "intro_en": "Your opinion helps us improve.",
        "questions": [
            {
                "code": "nps",
                "type": QuestionType.NPS,
                "text": "您有多大可能向亲友推荐我们的服务？",
                "text_en": "How likely are you to recommend us to a friend or colleague?",
                "label_low": "完全不可能",
                "label_low_en": "Not at all likely",
                "label_high": "极有可能",
                "label_high_en": "Extremely likely",
            },
            {
                "code": "reason",
                "type": QuestionType.TEXT,
                "required": False,
                "text": "您给出这个分数的主要原因是什么？",
                "text_en": "What is the main reason for your score?",
            },
            {
                "code": "csat",
                "type": QuestionType.CSAT,
                "text": "总体而言，您对我们的服务满意吗？",
                "text_en": "Overall, how satisfied are you with our service?",
                "label_low": "很不满意",
                "label_low_en": "Very dissatisfied",
                "label_high": "非常满意",
                "label_high_en": "Very satisfied",
            },
            {
                "code": "ces",
                "type": QuestionType.CES,
                "text": "通过我们办理业务很容易。",
                "text_en": "Our service made it easy to get things done.",
                "label_low": "非常不同意",
                "label_low_en": "Strongly disagree",
                "label_high": "非常同意",
                "label_high_en": "Strongly agree",
            },
        ],
    },
}
