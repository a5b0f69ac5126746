"""What club life does when the apps below announce something (club.events): members are
told, the club feed gets its item, open boards re-read themselves."""

from __future__ import annotations

from analysis.events import AnalysisFinished
from club.events import RunAdded, subscribe
from club.life import feed
from club.life.leaderboard import refresh_leaderboards
from club.models import FeedItem, Notification, User, coaches_see
from club.services import notify
from coaching.events import SessionLogged


@subscribe(RunAdded)
def post_run(event: RunAdded) -> None:
    feed.post(event.run.owner, FeedItem.Kind.RUN, run=event.run)


@subscribe(SessionLogged)
def post_session(event: SessionLogged) -> None:
    feed.post(event.session.assignment.athlete, FeedItem.Kind.DRILL, session=event.session)


@subscribe(AnalysisFinished)
def tell_owner_and_coaches(event: AnalysisFinished) -> None:
    """The owner hears either way; coaches only of an analysis they may see with a runner in
    it (a clip with no runner has nothing to look at)."""
    analysis = event.analysis
    if not event.runner_found:
        notify(
            analysis.owner,
            kind=Notification.Kind.ANALYSIS,
            title="No runner found in your clip",
            body=analysis.report["reason"],
            link=analysis.get_absolute_url(),
        )
        return
    score = f"form score {analysis.score:.0f}" if analysis.score is not None else "no score"
    link = analysis.get_absolute_url()
    title = f"Your form analysis is ready ({score})"
    notify(analysis.owner, kind=Notification.Kind.ANALYSIS, title=title, link=link)
    if not coaches_see(analysis.visibility):
        return
    title = f"New form analysis from {analysis.owner.display_name} ({score})"
    for coach in User.objects.coaches_of(analysis.owner):
        notify(coach, kind=Notification.Kind.ANALYSIS, title=title, link=link)


@subscribe(AnalysisFinished)
def post_analysis(event: AnalysisFinished) -> None:
    """A poor capture (or none) is no accomplishment to show the club."""
    if event.analysis.is_comparable:
        feed.post(event.analysis.owner, FeedItem.Kind.ANALYSIS, analysis=event.analysis)


@subscribe(AnalysisFinished)
def refresh_boards(event: AnalysisFinished) -> None:
    if event.runner_found and event.analysis.owner.show_on_leaderboards:
        refresh_leaderboards(event.analysis.owner_id)
