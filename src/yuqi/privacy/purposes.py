"""Purposes of the consent ledger and whether contact is allowed with no entry: surveys and
call recording rest on the notice given at the contact (the customer may object); marketing
needs a consent first."""

PURPOSE_DEFAULTS: dict[str, bool] = {"survey": True, "marketing": False, "recording": True}
