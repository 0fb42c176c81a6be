from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    ANSWER = "answer", _("Answer (FAQ)")
    PROCEDURE = "procedure", _("Procedure")
    POLICY = "policy", _("Policy wording (口径)")
    SCRIPT = "script", _("Expectation-setting script")
    PLAYBOOK = "playbook", _("Playbook")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal (agents only)")
    PUBLIC = "public", _("Public (help centre and agents)")


class UseKind(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    USED = "used", _("Used")
    INSERTED = "inserted", _("Inserted into a note")
    HELPFUL = "helpful", _("Helpful")
    NOT_HELPFUL = "not_helpful", _("Not helpful")
    WRONG = "wrong", _("Wrong")
    PUBLIC_YES = "public_yes", _("Answered the question (help centre)")
    PUBLIC_NO = "public_no", _("Did not answer (help centre)")


#: kinds an agent records with one click on a suggested article
AGENT_FEEDBACK = (
    UseKind.USED,
    UseKind.INSERTED,
    UseKind.HELPFUL,
    UseKind.NOT_HELPFUL,
    UseKind.WRONG,
)


class SearchChannel(models.TextChoices):
    AGENT = "agent", _("Agents")
    PUBLIC = "public", _("Help centre")
    CLI = "cli", _("Command line")
