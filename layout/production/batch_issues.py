"""The editions a batch finds under ROOT: their jumps made, their edition PDF and METS written.

An archive is laid out by day, each day an edition (edition.yaml beside its
page directories).  Before the batch, `plan_issues` loads each edition and
resolves its jumps, so the batch sends a page a rest runs on after the page
that sends it, as an edition build does; after it, `write_issues` writes the
day's edition PDF and (with ALTO) METS beside its pages' PDFs, from the pages
the batch built, on the client.  An edition whose jumps do not resolve is
reported and its pages are set alone; an edition with a failed page gets no
edition files, and none are left from an earlier batch.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import LayoutError, shown
from ..model.document import Edition, Link
from ..options import OutputOptions
from ..sources.edition import EDITION_FILE, load_edition
from . import report as build_report
from .batch import find
from .edition import EDITION_PDF, discard_edition_pdf, issue_files
from .page_job import PageJob, PageOutcome


@dataclasses.dataclass(frozen=True)
class Issue:
    """An edition under ROOT: loaded with its jumps, then what the batch made of it (its
    edition PDF and METS), or why it made nothing."""

    directory: Path
    edition: Edition | None = None
    links: tuple[Link, ...] = ()  # naming the batch's jobs' directories
    pdf: Path | None = None
    mets: Path | None = None
    error: str | None = None

    def entry(self) -> dict:
        """Its entry in the JSON report."""
        if self.error is not None:
            return {"edition": str(self.directory), "status": "failed", "error": self.error}
        made = [p for p in (self.pdf, self.mets) if p is not None]
        return {
            "edition": str(self.directory),
            "status": "built",
            "outputs": build_report.outputs_of(made),
        }


def find_editions(root: Path, *, skip: Path | None = None) -> list[Path]:
    """Every edition directory (holding edition.yaml) under `root`, as `batch.find_pages`."""
    return find(root, EDITION_FILE, skip)


def issue_directory(root: Path, edition: Path, out: Path) -> Path:
    """Where an edition's PDF and METS go: its path under `out`, beside its pages' PDFs."""
    return out.absolute() / edition.relative_to(root)


def plan_issues(root: Path, editions: list[Path], jobs: list[PageJob], out: Path) -> list[Issue]:
    """Each edition loaded and its jumps resolved to the jobs' page directories, or why not;
    the edition files of an earlier batch removed, so none outlives a failed batch."""
    directories = {job.directory.resolve(): job.directory for job in jobs}
    issues = []
    for directory in editions:
        discard_edition_pdf(issue_directory(root, directory, out))
        try:
            edition = load_edition(directory)
        except LayoutError as error:
            issues.append(Issue(directory, error=str(error)))
            continue
        if missing := [page for page in edition.pages if page.resolve() not in directories]:
            where = ", ".join(shown(page) for page in missing)
            issues.append(Issue(directory, error=f"its pages {where} are not under {shown(root)}"))
            continue
        pages = tuple(directories[page.resolve()] for page in edition.pages)
        here = tuple(_between(link, directories) for link in edition.links)
        issues.append(Issue(directory, dataclasses.replace(edition, pages=pages), here))
    return issues


def _between(link: Link, directories: dict[Path, Path]) -> Link:
    """`link` naming the jobs' page directories, as the batch's outcomes do."""
    sender, receiver = directories[link.sender.resolve()], directories[link.receiver.resolve()]
    return dataclasses.replace(link, sender=sender, receiver=receiver)


def write_issues(
    root: Path,
    issues: list[Issue],
    jobs: list[PageJob],
    outcomes: list[PageOutcome],
    out: Path,
    *,
    output: OutputOptions,
) -> list[Issue]:
    """Each planned edition's PDF (and METS, with ALTO) from its pages as the batch built them,
    if all of them built."""
    built = {job.directory: (job, o) for job, o in zip(jobs, outcomes, strict=True)}
    written = []
    for issue in issues:
        if issue.edition is None:
            written.append(issue)
            continue
        place = issue_directory(root, issue.directory, out)
        pages = [built[page] for page in issue.edition.pages]
        if any(job.pdf == place / EDITION_PDF for job, _ in built.values()):
            name = shown(issue.directory / EDITION_PDF.removesuffix(".pdf"))
            written.append(dataclasses.replace(issue, error=f"the page {name} would overwrite it"))
        elif any(o.status == "failed" for _, o in pages):
            written.append(dataclasses.replace(issue, error="a page of it failed"))
        else:
            page_jobs, page_outcomes = [job for job, _ in pages], [o for _, o in pages]
            pdf, mets = issue_files(issue.edition, page_jobs, page_outcomes, place, output)
            written.append(dataclasses.replace(issue, pdf=pdf, mets=mets))
    return written
