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
