from __future__ import annotations

from django.tasks import task

from yuqi.surveys.post_contact import post_contact_sample_interactions


@task
def sample_post_contact_interactions() -> str:
    """Send the post-contact survey to a hash-sampled share of yesterday's handled contacts."""
    run = post_contact_sample_interactions()
    return (
        f"{run.day}: {run.contacts} contacts, {run.sampled} sampled, "
        f"{run.invited} invited, {run.skipped} skipped"
    )


@task
def create_due_survey_waves() -> str:
    """Create (and draw) the next wave of every recurring campaign that is due."""
    from yuqi.surveys.waves import waves_create_due

    created = waves_create_due()
    return f"{len(created)} wave(s) created: " + ", ".join(w.campaign.code for w in created)
