"""The audit run: walk, examine (in parallel, each input under a time limit), store, then the series."""

from __future__ import annotations

import collections
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..findings import path_text, printable
from ..registry import Registry, resolve_registry
from .agencies import AgencyMap, identity
from .examine import Examined, Outcome, examine_path, finding_row, read_paths
from .inputs import Input, Skipped, walk
from .pool import run_examine, run_inline
from .rules import LOOP
from .store import AGENCY_YEAR, REPUBLISHED_COUNTS, Republished, RepublishedGroup, Store, chains

__all__ = ["Summary", "audit"]


@attrs.frozen
class Summary:
    """What one run did, and what the store now holds."""

    db: str
    seen: int
    skipped: int  #: stored already, unchanged (resumed past)
    examined: int
    failed: tuple[tuple[str, str, str, str], ...]  #: (path, code, reason zh, reason en), this store's failures
    #: inputs that could not be read again (a time limit, an I/O error) whose stored report was kept: (path, code,
    #: reason zh, reason en); their earlier results stay in the store and the figures
    kept: tuple[tuple[str, str, str, str], ...]
    #: paths this run did not read on purpose: (path, code, reason zh, reason en) — a folder reached again
    #: through symlinks, a link out of the audited folders, a named pipe or device
    left_out: tuple[tuple[str, str, str, str], ...]
    reports: int
    by_year_format: tuple[tuple[Any, str, str | None, int], ...]
    #: (code, severity, findings, reports, agency-years): the copies of a duplicate agency-year are one agency-year
    by_rule: tuple[tuple[str, str, int, int, int], ...]
    series: int
    series_multi: int  #: series spanning two or more years (last year > first year)
    duplicates: tuple[tuple[str, int, int], ...]  #: (agency, year, reports)
    pairs_checked: int
    interrupted: bool
    seconds: float
    store_seconds: float
    #: each report of a duplicate agency-year: (agency, year, source, summed) — summed is 1 for the one report
    #: of the agency-year that the group figures count (``reports.counted``)
    duplicate_reports: tuple[tuple[str, Any, str, int], ...] = ()
    #: inputs that could not be opened (a missing path, a broken symbolic link): neither read nor skipped,
    #: among the failed inputs; seen = examined + skipped + unopened
    unopened: int = 0
    #: the year pairs checked in the store, by this run and the ones before it (``series_pairs``)
    pairs_stored: int = 0
    #: the agency map the store was keyed with before this run, when it was another ("" none; None when the
    #: store did not record it), and this run's ("" none); every stored report is keyed again with this run's
    map_before: str | None = None
    map_now: str = ""
    #: stored reports whose agency, level, region or series the change of map changed
    rekeyed: int = 0
    #: stored inputs under the folders given that this run did not find (deleted, moved), the first few of them,
    #: and whether they were dropped (``--prune``) with the reports only they held (``pruned_reports``)
    unseen: int = 0
    unseen_paths: tuple[str, ...] = ()
    pruned: bool = False
    pruned_reports: int = 0
    #: stored inputs under the folders given that the walk did not meet but that are not known to be gone (under a
    #: folder it could not read, or an empty folder given, or a file the disk could not say is there): kept
    unseen_kept: int = 0
    #: the version that made this run, and the stored inputs other versions examined: (version, inputs), the
    #: version None for a store made before versions were recorded (``--refresh`` reads them again)
    version: str = ""
    other_versions: tuple[tuple[str | None, int], ...] = ()
    #: the same of the stored inputs this run did not walk (outside the paths given, or past an interruption):
    #: neither read nor skipped by it
    other_versions_elsewhere: tuple[tuple[str | None, int], ...] = ()
    #: probable republications (:meth:`.Store.republications`): (year, agency, source, other agency, other source);
    #: names that nest in a chain are each listed with the chain's shortest
    republications: tuple[Republished, ...] = ()
    #: the same with fewer than REPUBLISHED_COUNTS non-zero counts (a township's): small counts agree by chance
    republications_few: tuple[Republished, ...] = ()
    #: reports of groups like republication_groups' with few counts, not listed (a common town name: chance)
    republications_left_out: int = 0
    #: reports of one year linked by more than one such match (教育局 ≈ 白河县教育局 and ≈ 青川县教育局): no pair
    #: to map, one group each: (year, ((agency, source), …)), the shortest name first
    republication_groups: tuple[RepublishedGroup, ...] = ()

    @property
    def loops(self) -> tuple[str, ...]:
        """The folders reached again through symlinks (walked once)."""
        return tuple(path for path, code, _, _ in self.left_out if code == LOOP.code)

    def lines(self, lang: str = "zh") -> list[str]:
        zh = lang != "en"
        # (why each could not be opened is said below: a missing path, a broken link, a permission error)
        unopened = ((f"，无法打开 {self.unopened} 个（原因见下）" if zh
                     else f", {self.unopened} could not be opened (why: below)")
                    if self.unopened else "")
        out = [
            (f"输入 {self.seen} 个：本次读取 {self.examined} 个，已存且未改动而跳过 {self.skipped} 个{unopened}"
             if zh else f"inputs: {self.seen}; examined {self.examined}, skipped {self.skipped} already stored and "
                        f"unchanged{unopened}"),
            (f"库中报告 {self.reports} 份，无法读取的输入 {len(self.failed)} 个" if zh
             else f"reports in the store: {self.reports}; failed inputs: {len(self.failed)}"),
        ]
        for path, code, rzh, ren in self.failed[:50]:
            out.append(f"  ✗ {printable(path)}: {rzh if zh else ren} [{code}]")
        if len(self.failed) > 50:
            out.append(f"  … {len(self.failed) - 50}")
        out += self._kept_lines(zh)
        if self.left_out:
            out.append(f"未读取的路径 {len(self.left_out)} 个" if zh else f"paths not read: {len(self.left_out)}")
        for path, code, rzh, ren in self.left_out:
            out.append(f"  ⊘ {printable(path)}: {rzh if zh else ren} [{code}]")
        out.append("按年度与格式 / by year and format:" if zh else "reports by year and format:")
        for year, version, variant, n in self.by_year_format:
            out.append(f"  {year if year is not None else '?'}  {version}{'/' + variant if variant else ''}  {n}")
        out.append("按规则与级别 / findings by rule and severity:" if zh else "findings by rule and severity:")
        for code, sev, n, r, ay in self.by_rule:
            years = ((f"，{ay} 个机关年度" if zh else f", {_plural(ay, 'agency-year')}") if ay != r else "")
            out.append(f"  {code:<22} {sev:<8} {n:>7} " + (f"（{r} 份报告{years}）" if zh else
                                                            f"({_plural(r, 'report')}{years})"))
        # the series are the whole store's; the pairs checked this run's, and the store's beside them when they
        # differ (a resumed run checks only the pairs not checked before)
        stored_zh, stored_en = ((f"（库中共 {self.pairs_stored} 对）", f" ({self.pairs_stored} in the store)")
                                if self.pairs_stored != self.pairs_checked else ("", ""))
        if self.interrupted:  # the series are grouped after the walk: the store's are as an earlier run left them
            out.append(f"系列：运行在归并、核对完成之前中断，下次运行时完成；本次跨年核对 {self.pairs_checked} 对"
                       if zh else
                       f"series: the run was interrupted before they were all grouped and checked (the next run does "
                       f"it); year pairs checked this run: {self.pairs_checked}")
        else:
            out.append(f"系列（同一机关的各年度报告）{self.series} 个，其中跨两个以上年度 {self.series_multi} 个；"
                       f"本次跨年核对 {self.pairs_checked} 对{stored_zh}" if zh else
                       f"series (one agency's reports): {self.series}, {self.series_multi} spanning two or more years; "
                       f"year pairs checked this run: {self.pairs_checked}{stored_en}")
        out += self._map_lines(zh)
        out += self._unseen_lines(zh)
        out += self._version_lines(zh)
        out += self._duplicate_lines(zh)
        out += self._republication_lines(zh)
        if self.interrupted:
            out.append("已中断：已存的输入下次运行时跳过 / interrupted: stored inputs are skipped on the next run")
        rate = self.examined / self.seconds if self.seconds else 0.0
        out.append(f"{self.seconds:.1f} s, {rate:.0f} " + ("份/秒" if zh else "inputs/s") + f" → {self.db}")
        return out


    def _kept_lines(self, zh: bool) -> list[str]:
        """The inputs that could not be read again: their stored reports were kept."""
        if not self.kept:
            return []
        k = len(self.kept)
        out = [f"{k} 个输入本次无法重新读取，保留其先前的结果：" if zh else
               f"{k} input{'s' if k != 1 else ''} could not be read again; {'their' if k != 1 else 'its'} earlier "
               f"results are kept:"]
        out += [f"  ↺ {printable(path)}: {rzh if zh else ren} [{code}]" for path, code, rzh, ren in self.kept[:50]]
        return out + ([f"  … {k - 50}"] if k > 50 else [])

    def _republication_lines(self, zh: bool) -> list[str]:
        """Names of one year that nest, with the same cells: one report under several names? (never merged), one
        line a chain of names; then those with few counts; then the names that match several others: no one agency
        to map; then how many such reports with few counts were left out."""
        sep = "、" if zh else ", "
        out = []
        for rows, head_zh, head_en in (
                (self.republications, "可能是同一份报告以不同机关名称发布（名称相互包含、单元格完全相同）"
                 "{n} 处，未合并；若是同一机关，请用 --agencies 对照：",
                 "probable republications (names that nest, identical cells): {n}, not merged; if they are one "
                 "agency, map them with --agencies:"),
                (self.republications_few, "名称相互包含、单元格完全相同，但非零的数不足 {k} 个（数少，可能偶然相同）"
                 "{n} 处，未合并；请先核对是否同一份报告，是则用 --agencies 对照：",
                 "names that nest with identical cells but fewer than {k} non-zero counts (few counts: check, small "
                 "counts agree by chance): {n}, not merged; if they are one report, map them with --agencies:")):
            joined = chains(rows)
            if joined:
                out.append((head_zh if zh else head_en).format(n=len(joined), k=REPUBLISHED_COUNTS))
            out += [f"  ≈ {year} " + " · ".join(f"{a} ({printable(src)})" for a, src in names)
                    for year, names in joined[:20]]
            out += [f"  … {len(joined) - 20}"] if len(joined) > 20 else []
        k = len(self.republication_groups)
        if k:
            out.append(f"名称相互包含、单元格完全相同的报告中，有 {k} 组名称并非逐级包含："
                       f"一个名称与几个互不包含的名称相同，多为模板照抄或署名有误，未必是同一机关；"
                       f"未合并，请先核对，勿直接用 --agencies 对照（那会把它们并为一个机关）：" if zh else
                       f"names that nest with identical cells, linked to names that do not nest in each other: {k} "
                       f"group{'s' if k != 1 else ''}; a name equal to several other names is more likely a template "
                       f"copied or a report under the wrong name than one agency: not merged; check before mapping "
                       f"them with --agencies (that would make them all one agency):")
        for year, members in self.republication_groups[:20]:
            (first, first_source), *rest = members
            others = sep.join(f"{a} ({printable(src)})" for a, src in rest)
            out.append(f"  ≈ {year} {first} ({printable(first_source)}) " +
                       (f"与 {len(rest)} 个名称相同：{others}" if zh else
                        f"has the same cells as {len(rest)} other names: {others}"))
        if k > 20:
            out.append(f"  … {k - 20}")
        n = self.republications_left_out
        if n:
            out.append(f"另有 {n} 份报告名称相互包含、单元格完全相同，但非零的数不足 {REPUBLISHED_COUNTS} 个，"
                       f"且一个名称与几个互不包含的名称相同（常见的乡镇名，多为偶然相同）：未列出，均计入合计"
                       if zh else
                       f"{n} more report{'s' if n != 1 else ''} under names that nest, with identical cells but fewer "
                       f"than {REPUBLISHED_COUNTS} non-zero counts, a name equal to several names that do not nest in "
                       f"each other (a common town name: chance, most likely): not listed, all summed")
        return out

    def _version_lines(self, zh: bool) -> list[str]:
        """Stored inputs another version examined: skipped unchanged, they keep what that version found; and those
        of other paths, which this run did not walk (--refresh reads only what it walks)."""
        said = [(self.other_versions, "库中 {n} 个输入由另一版本读取（{names}），未改动而跳过、保留其旧结果；本版本为 "
                 "{version}：加 --refresh 以本版本重新读取全部输入",
                 "{n} stored input{s} {was} examined by another version ({names}) and, unchanged, keep what it found; "
                 "this is {version}: --refresh reads every input again"),
                (self.other_versions_elsewhere, "另有 {n} 个由另一版本读取的输入（{names}）不在本次走过的路径下"
                 "（本次未给出其路径，或运行中断），本次未读取也未跳过：给出其路径并加 --refresh 可重新读取",
                 "{n} more stored input{s} examined by another version ({names}) {lie} outside the paths this run "
                 "walked (not given, or the run was interrupted): neither read nor skipped; give their paths with "
                 "--refresh to read them again")]
        out = []
        for versions, text_zh, text_en in said:
            if versions:
                n = sum(k for _, k in versions)
                out.append((text_zh if zh else text_en).format(
                    n=n, names=_versions(versions, zh), version=self.version, s="" if n == 1 else "s",
                    was="was" if n == 1 else "were", lie="lies" if n == 1 else "lie"))
        return out

    def _unseen_lines(self, zh: bool) -> list[str]:
        """The stored inputs under the folders given that the run did not find: dropped (--prune), or still counted."""
        out = []
        if self.unseen_kept:
            k = self.unseen_kept
            out.append(f"库中有 {k} 个输入位于本次无法读取的目录（或现为空的目录）下，无法确认是否仍在：视为仍在，"
                       f"未删除" if zh else
                       f"{k} stored input{'s' if k != 1 else ''} under a folder this run could not read (or a folder "
                       f"given that is now empty) could not be checked: kept as they are")
        if not self.unseen:
            return out
        n, more = self.unseen, self.unseen - len(self.unseen_paths)
        names = [f"      {printable(p)}" for p in self.unseen_paths] + ([f"      … (+{more})"] if more else [])
        inputs = "input" if n == 1 else "inputs"
        if self.pruned:
            k = self.pruned_reports
            out.append(f"已从库中删除本次给出的目录下未见的输入 {n} 个（及只属于它们的报告 {k} 份）：" if zh else
                       f"dropped from the store {n} stored {inputs} under the folders given that this run did not "
                       f"find (and {k} report{'' if k == 1 else 's'} only they held):")
        else:
            out.append(f"库中有 {n} 个输入位于本次给出的目录下，但本次未见（已删除或移动？）；"
                       f"其报告仍在库中并计入合计，加 --prune 可删除：" if zh else
                       f"{n} stored {inputs} under the folders given {'was' if n == 1 else 'were'} not found by this "
                       f"run (deleted or moved?); their reports stay in the store and in the figures: --prune drops "
                       f"them:")
        return out + names

    def _map_lines(self, zh: bool) -> list[str]:
        """A word when the agency map is not the one the store was keyed with: every stored report was keyed anew,
        and the series regrouped with it; the year pairs are checked after the walk (not if it was interrupted)."""
        if self.map_before == self.map_now or (self.map_before is None and not self.rekeyed):
            return []
        n = self.rekeyed
        if self.map_before and self.map_now and not n:
            return []  # the same rows (a map moved to another folder): nothing changed, nothing to say
        pairs_zh, pairs_en = (("，跨年核对在下次运行时补做", ", the year pairs are checked on the next run")
                              if self.interrupted else ("，跨年核对随之更新", ", the year pairs with them"))
        if not self.map_now:
            return [f"本次未给 --agencies，而本库上次按机关对照表归并：库中全部报告已改按名称归并"
                    f"（{n} 份改变了机关或系列），系列随之重新归并{pairs_zh}" if zh else
                    f"no --agencies this run, but the store was keyed with an agency map: every stored report is "
                    f"grouped by its name again ({n} changed agency or series), the series regrouped{pairs_en}"]
        return [f"机关对照表与本库上次所用的不同：库中全部报告已按本次的对照表重新归并（{n} 份改变了机关或系列），"
                f"系列随之重新归并{pairs_zh}" if zh else
                f"the agency map differs from the one the store was keyed with: every stored report is keyed with "
                f"this run's map ({n} changed agency or series), the series regrouped{pairs_en}"]

    def _duplicate_lines(self, zh: bool) -> list[str]:
        """Each duplicate agency-year, then its files one a line (the one the group figures sum marked)."""
        out = []
        for agency, year, n in self.duplicates:
            out.append(f"  ⚠ {agency} {year}: " + (f"{n} 份报告（都保留，已标出；合计只计一份）" if zh
                                                   else f"{n} reports (all kept, flagged; summed once)"))
            for a, y, source, summed in self.duplicate_reports:
                if a == agency and y == year:
                    mark = ("（计入合计）" if zh else " (summed)") if summed else ""
                    out.append(f"      {printable(source)}{mark}")
        return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _versions(versions: Sequence[tuple[str | None, int]], zh: bool) -> str:
    """The first few versions with their inputs: 'govdisclosure 0.1.0: 3; …'."""
    return "; ".join(f"{v or ('未记录版本的旧版' if zh else 'a version before versions were recorded')}: {k}"
                     for v, k in versions[:3])


def _progress(enabled: bool) -> Callable[..., None]:
    start = time.perf_counter()

    def show(done: int, skipped: int, final: bool = False) -> None:
        if not enabled:
            return
        rate = done / max(time.perf_counter() - start, 1e-9)
        sys.stderr.write(f"\r已读 / read {done}  跳过 / skipped {skipped}  {rate:.0f}/s" + ("\n" if final else ""))
        sys.stderr.flush()
    return show


def audit(paths: Sequence[str | bytes], db: str, *, jobs: int = 1, limit: float | None = 60.0,
          agencies: AgencyMap | None = None, exclude: tuple[str, ...] = (), registry: Registry | None = None,
          progress: bool | None = None, batch: int = 500, prune: bool = False, refresh: bool = False,
          executor: Callable[[Iterable[tuple[Any, bytes]]], Iterator[tuple[Any, Outcome]]] | None = None) -> Summary:
    """Audit every input under ``paths`` into the store ``db`` and return the summary.

    ``jobs`` worker processes examine the inputs (0: in this process); ``limit`` seconds per input;
    ``executor`` replaces the workers (the Dask path passes one).  A KeyboardInterrupt stops the run
    after storing what was finished; the next run resumes.  Stored inputs under the folders given that the
    walk does not find are counted in the summary, and dropped with ``prune``.  ``refresh`` reads every input
    again, stored and unchanged or not, and replaces what an earlier run (an older version) stored of it.
    """
    reg = resolve_registry(registry)
    start = time.perf_counter()
    with Store(db, registry=reg) as store:
        store.refresh = refresh
        run = _Run(store, agencies or AgencyMap(), batch, sys.stderr.isatty() if progress is None else progress)
        # the map is the whole store's: reports stored by earlier runs are keyed with this run's map too
        map_before, rekeyed = store.rekey(run.agencies)
        todo = run.todo(paths, exclude)
        examiner = Examiner(run.agencies, reg)
        if executor is not None:
            results = executor(todo)
        elif jobs <= 0:
            results = run_inline(todo, limit, job=examiner)
        else:
            results = run_examine(todo, jobs=jobs, limit=limit, job=examiner)
        interrupted = False
        unseen: tuple[int, list[str], int, int] = (0, [], 0, 0)
        try:
            run.store_all(results)
            if run.walked:  # a walk cut short says nothing of what is gone
                unseen = store.unseen([os.fsencode(p) for p in paths if os.path.isdir(p)], prune=prune,
                                      unread=run.unread)
            _check_series(store, reg, jobs=0 if executor is not None else jobs, limit=limit)
        except KeyboardInterrupt:
            interrupted = True
            run.flush()
        # the pairs checked by the workers and after the walk, each once (a pair one of whose reports was stored
        # again later in the run is still one pair)
        pairs = store.pairs_checked()
        republished = store.republications()
        run.show(run.counts["examined"], run.counts["skipped"], True)
        summary = attrs.evolve(
            _summarise(store, db, run.counts, run.left_out, pairs, interrupted, time.perf_counter() - start,
                       run.store_seconds),
            map_before=map_before, map_now=run.agencies.digest(), rekeyed=rekeyed, unseen=unseen[0],
            unseen_paths=tuple(unseen[1]), pruned=prune and bool(unseen[0]), pruned_reports=unseen[2],
            unseen_kept=unseen[3],
            version=store.version(), other_versions=tuple(store.other_versions()),
            other_versions_elsewhere=tuple(store.other_versions(walked=False)),
            republications=tuple(republished.pairs), republications_few=tuple(republished.few),
            republication_groups=tuple(republished.groups), republications_left_out=republished.left_out)
        store.finish_run(run.run_id, "interrupted" if interrupted else "done", seen=run.counts["seen"],
                         skipped=run.counts["skipped"], examined=run.counts["examined"], failed=len(summary.failed),
                         reports=summary.reports)
    return summary


class _Run:
    """One run's bookkeeping: what to read, what waits to be stored, the counts."""

    def __init__(self, store: Store, agencies: AgencyMap, batch: int, progress: bool) -> None:
        self.store, self.agencies, self.batch = store, agencies, batch
        self.show = _progress(progress)
        self.run_id = store.start_run()
        self.pending: list[tuple[Input | Skipped, Outcome | None]] = []
        self.counts = collections.Counter[str]()
        self.left_out: list[tuple[str, str, str, str]] = []
        self.store_seconds = 0.0
        self.walked = False  #: the walk went to its end
        #: the paths the walk could not open (a folder it could not list): nothing under them is known to be gone
        self.unread: list[bytes] = []
        store.begin_walk()
        # a store that holds no inputs yet: no path the walk meets (once each) is stored, none is looked up
        store.new_inputs = store.db.execute("SELECT 1 FROM inputs LIMIT 1").fetchone() is None

    def todo(self, paths: Sequence[str | bytes], exclude: tuple[str, ...]) -> Iterator[tuple[Input, bytes]]:
        """The inputs to read: walked, less those stored already and unchanged (path, size, mtime)."""
        seen: list[bytes] = []
        for item in walk(paths, exclude=exclude):
            seen.append(item.path)
            if len(seen) >= 1000:  # the paths walked, for what is stored and gone (kept in SQLite, not here)
                self.store.saw(seen)
                seen.clear()
            if isinstance(item, Skipped):
                if item.left_out:
                    self.left_out.append((path_text(item.path), item.code, item.reason_zh, item.reason_en))
                else:
                    self.unread.append(item.path)
                    self.counts["seen"] += 1
                    self.counts["unopened"] += 1
                    self.pending.append((item, None))
                continue
            self.counts["seen"] += 1
            row = None if self.store.new_inputs else self.store.db.execute(
                "SELECT size, mtime_ns FROM inputs WHERE path_bytes = ?", (bytearray(item.path),)).fetchone()
            if row is not None and row[0] == item.size and row[1] == item.mtime_ns and not self.store.refresh:
                self.counts["skipped"] += 1
                continue
            yield item, item.path
        self.store.saw(seen)
        self.walked = True

    def store_all(self, results: Iterable[tuple[Input, Outcome]]) -> None:
        for item, outcome in results:
            self.counts["examined"] += 1
            self.pending.append((item, outcome))
            if len(self.pending) >= self.batch:
                self.flush()
                self.show(self.counts["examined"], self.counts["skipped"])
        self.flush()

    def flush(self) -> None:
        """Store what is pending, in one transaction."""
        if self.pending:
            t = time.perf_counter()
            # (a year pair a worker checked whose previous report is not stored yet is dropped, and checked again
            # from the store after the walk)
            self.store.write(self.pending, self.run_id, self.agencies)
            self.store_seconds += time.perf_counter() - t
            self.pending.clear()


def series_codes(reg: Registry) -> frozenset[str]:
    return frozenset(r.code for r in reg.rules.values() if getattr(r, "scope", "report") == "series")


class Examiner:
    """:func:`examine` for the workers, which also checks the year pairs whose two reports are in the
    same chunk of inputs, where both are already loaded (files of one agency usually lie together).
    The other pairs are checked afterwards from the store (:class:`SeriesJob`)."""

    def __init__(self, agencies: AgencyMap, registry: Registry) -> None:
        self.agencies, self.registry = agencies, registry
        self.codes = series_codes(registry)
        self.loaded: dict[str, Any] = {}  # this chunk's reports, by content hash
        self.ready: dict[Any, Any] = {}  # this chunk's inputs read already (read_paths), by path

    def look_ahead(self, paths: list[bytes]) -> None:
        """A chunk's published texts and pages read at once, stage by stage (:func:`.examine.read_paths`); each
        input is then examined from what was read (the pool abandons this on a time limit: each is read again)."""
        self.ready = {}  # (stopped by the time limit: nothing of it is used)
        self.ready = read_paths(paths, registry=self.registry)

    def spent(self, path: bytes) -> float:
        """The seconds reading ``path`` took in :meth:`look_ahead` (0 if it was not read there)."""
        found = self.ready.get(path)
        return found[1][1] if found is not None else 0.0

    def __call__(self, path: bytes) -> Outcome:
        outcome, report = examine_path(path, registry=self.registry, read=self.ready.pop(path, None))
        if report is not None and self.codes and isinstance(outcome, Examined):
            self.loaded[outcome.digest] = report
        return outcome

    def finish(self, results: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
        from ..api import validate

        by_year: dict[tuple[str, int], list[Examined]] = {}
        for _, outcome in results:
            if isinstance(outcome, Examined) and outcome.digest in self.loaded and outcome.year is not None:
                key = identity(outcome.agency, outcome.level, outcome.region, outcome.path, self.agencies)[0]
                if key is not None:
                    by_year.setdefault((key, outcome.year), []).append(outcome)
        out = []
        for seq, outcome in results:
            if isinstance(outcome, Examined) and outcome.digest in self.loaded and outcome.year is not None:
                key = identity(outcome.agency, outcome.level, outcome.region, outcome.path, self.agencies)[0]
                # last year's reports by content: two files of the same bytes are one report, one pair
                previous = list({prev.digest: prev for prev in (
                    by_year.get((key, outcome.year - 1), []) if key is not None else [])}.values())
                pairs = tuple(
                    (prev.digest, tuple(finding_row(f) for f in validate(
                        self.loaded[outcome.digest], self.loaded[prev.digest], select=self.codes,
                        config=same_agency(self.loaded[outcome.digest], self.loaded[prev.digest]),
                        registry=self.registry)))
                    for prev in previous if prev.digest != outcome.digest)
                if pairs:
                    outcome = attrs.evolve(outcome, pairs=pairs)
            out.append((seq, outcome))
        self.loaded.clear()
        self.ready.clear()
        return out


def same_agency(report: Any, previous: Any) -> dict[str, dict[str, Any]]:
    """The two reports of a pair the agency map joined are one agency's, whatever their names: GD-X-SERIES is told."""
    return {"GD-X-SERIES": {"agencies": [[report.agency.name, previous.agency.name]]}}


class SeriesJob:
    """Check one pair (report, previous) with the cross-year rules, reading both from the store.

    Made in the parent, called in the workers: each opens its own read-only connection and keeps the
    last reports it rebuilt (pairs arrive in series order, so each report is rebuilt about once)."""

    def __init__(self, db: str, registry: Registry) -> None:
        self.db, self.registry = db, registry
        self.codes = series_codes(registry)
        self.con: Any = None
        self.cache: collections.OrderedDict[int, Any] = collections.OrderedDict()

    def report(self, rid: int) -> Any:
        from .store import read_report

        if rid not in self.cache:
            if self.con is None:
                import sqlite3

                self.con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
            self.cache[rid] = read_report(self.con, rid, self.registry)
            while len(self.cache) > 16:
                self.cache.popitem(last=False)
        return self.cache[rid]

    def __call__(self, pair: tuple[int, int]) -> tuple[int, int, list[Any]]:
        from ..api import validate

        rid, prev = pair
        report, previous = self.report(rid), self.report(prev)
        found = validate(report, previous, select=self.codes, config=same_agency(report, previous),
                         registry=self.registry)
        return rid, prev, [finding_row(f) for f in found]


def _pair_failed(_pair: Any, _code: str, _limit: float) -> None:
    return None  # not stored as checked: the next run tries the pair again


def _check_series(store: Store, reg: Registry, *, jobs: int, limit: float | None) -> int:
    """Run the cross-year rules on every pair (year, year − 1) of a series not checked before;
    returns how many pairs were checked."""
    pairs = store.update_series()
    results: Iterable[tuple[Any, Any]]
    if not series_codes(reg):
        results = ((None, (rid, prev, [])) for rid, prev in pairs)
    else:
        job = SeriesJob(store.path, reg)
        items = ((None, p) for p in pairs)
        results = (run_examine(items, jobs=jobs, limit=limit, job=job, on_failure=_pair_failed) if jobs > 0
                   else run_inline(items, limit, job=job, on_failure=_pair_failed))
    checked = 0
    batch = []
    for _, result in results:
        if result is not None:
            batch.append(result)
            checked += 1
        if len(batch) >= 500:
            store.write_pairs(batch)
            batch.clear()
    store.write_pairs(batch)
    return checked


def _summarise(store: Store, db: str, counts: collections.Counter[str], left_out: list[tuple[str, str, str, str]],
               pairs: int, interrupted: bool, seconds: float, store_seconds: float) -> Summary:
    q = store.db.execute
    failed = tuple((p, c or "", z or "", e or "") for p, c, z, e in q(
        "SELECT path, error_code, error_zh, error_en FROM inputs WHERE status = 'failed' ORDER BY path"))
    kept = tuple((p, c or "", z or "", e or "") for p, c, z, e in q(
        "SELECT path, error_code, error_zh, error_en FROM inputs WHERE status = 'ok' AND error_code IS NOT NULL "
        "ORDER BY path"))
    return Summary(
        db=db, seen=counts["seen"], skipped=counts["skipped"], examined=counts["examined"], failed=failed, kept=kept,
        left_out=tuple(left_out), reports=q("SELECT COUNT(*) FROM reports").fetchone()[0],
        by_year_format=tuple(q("SELECT year, format_version, variant, COUNT(*) FROM reports "
                               "GROUP BY year, format_version, variant ORDER BY year, format_version, variant")),
        by_rule=tuple(q(f"SELECT code, severity, COUNT(*), COUNT(DISTINCT report_id), COUNT(DISTINCT {AGENCY_YEAR}) "
                        "FROM findings f JOIN reports r USING (report_id) GROUP BY code, severity ORDER BY CASE "
                        "severity WHEN 'fatal' THEN 0 WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, code")),
        series=q("SELECT COUNT(*) FROM series").fetchone()[0],
        series_multi=q("SELECT COUNT(*) FROM series WHERE last_year > first_year").fetchone()[0],
        duplicates=tuple(q("SELECT MIN(agency), year, COUNT(*) FROM reports WHERE duplicate = 1 "
                           "GROUP BY agency_key, year ORDER BY 1, 2")),
        duplicate_reports=tuple(q(  # named as in ``duplicates``: one name per agency-year
            "SELECT g.agency, r.year, r.source, r.counted FROM reports r JOIN (SELECT agency_key, year, MIN(agency) "
            "AS agency FROM reports WHERE duplicate = 1 GROUP BY agency_key, year) g USING (agency_key, year) "
            "WHERE r.duplicate = 1 ORDER BY g.agency, r.year, r.counted DESC, r.source")),
        pairs_checked=pairs, interrupted=interrupted, seconds=seconds, store_seconds=store_seconds,
        unopened=counts["unopened"], pairs_stored=q("SELECT COUNT(*) FROM series_pairs").fetchone()[0])


def export_csv(store: Store, out: str) -> int:
    """One line per input: status, reason, the report's identity, finding counts and metrics; then the report's id
    and content hash (two inputs of the same bytes are one report) and ``counted``: 1 on one input of each report
    the group figures sum, so that summing the rows with counted = 1 gives the store's figures."""
    import csv

    from .metrics import METRICS

    cols = ", ".join(f"m.{m.id}" for m in METRICS)
    # of a report's inputs, the one at its source (else the first by path) carries its count
    rows = store.db.execute(
        f"SELECT i.path, i.status, i.error_code, i.error_zh, i.error_en, r.agency, r.level, r.region, r.year, "
        f"r.format_version, r.variant, r.duplicate, s.errors, s.warnings, s.infos, s.blanks, s.unsettled, "
        f"s.not_found, {cols}, r.report_id, r.content_hash, CASE WHEN r.counted = 1 AND ROW_NUMBER() OVER "
        "(PARTITION BY i.report_id ORDER BY i.path_bytes = CAST(r.source AS BLOB) DESC, i.path_bytes) = 1 "
        "THEN 1 ELSE 0 END "
        "FROM inputs i LEFT JOIN reports r USING (report_id) LEFT JOIN report_summary s USING (report_id) "
        "LEFT JOIN report_metrics m USING (report_id) ORDER BY i.path")
    header = ["path", "status", "error_code", "error_zh", "error_en", "agency", "level", "region", "year",
              "format_version", "variant", "duplicate", "errors", "warnings", "infos", "blanks", "unsettled",
              "not_found", *(m.id for m in METRICS), "report_id", "content_hash", "counted"]
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
    return n
