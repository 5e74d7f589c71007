import collections
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts import datafile
from crm.phrases import plural


class Command(BaseCommand):
    help = (
        "Import an advocate/v1 data file into a student's records. Creates the student (with no "
        "password: they sign in after a password reset) if absent. The file's records are ADDED "
        "to any the student already has: nothing is replaced or deleted, so importing the same "
        "file twice adds everything twice. All or nothing: on any error nothing is written and "
        "the error names the path, e.g. contacts[3].role. "
        "A class at once: --class PATH [PATH ...] (files, or directories of *.json files) "
        "imports each file into its own student.email instead, all or nothing for the whole "
        "class: one bad file means nothing is imported for anyone, and every bad file is named "
        "with its first error, e.g. ada.json: contacts[3].role (fix them and run the same "
        "command again: nothing was added twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help='The JSON file to import, or "-" to read standard input.'
        )
        parser.add_argument(
            "--student",
            metavar="EMAIL",
            help="The student to import into (the file's own student.email is not used). "
            "Required with FILE.",
        )
        parser.add_argument(
            "--class",
            dest="class_paths",
            nargs="+",
            metavar="PATH",
            help="Import a class instead: each PATH a data file or a directory of *.json data "
            "files, each imported into the student of its own student.email (created if "
            "absent). One transaction for the whole class; the students' nudges are refreshed "
            "together once it commits. Not with FILE or --student.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(_cpus() - 1, 4),
            metavar="N",
            help="With --class: N other processes read and check the files while this one "
            "writes (default: one fewer than the CPUs, leaving one to the writing and the "
            "database, at most 4; 0: all in this process).",
        )

    def handle(self, *args, file, student, class_paths, jobs, verbosity=1, **options):
        if class_paths:
            if file is not None or student is not None:
                raise CommandError(
                    "--class imports each file into its own student.email: "
                    "give no FILE or --student with it",
                    returncode=2,
                )
            return self.import_class(class_paths, jobs=jobs, verbosity=verbosity)
        if student is None or file is None:
            missing = "--student" if file is not None else "file, --student"
            raise CommandError(
                f"Error: the following arguments are required: {missing} "
                "(or --class PATH ... for a class)",
                returncode=2,
            )
        document = _read_json(file)
        try:
            result = datafile.import_document(document, email=student)
        except datafile.DataFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.summary()}.")
        if result.created:
            self.stdout.write(
                f"Created the student {result.student.email}; they can set a password with "
                "\u201cForgot your password?\u201d on the login page."
            )

    def import_class(self, paths: list[str], *, jobs: int, verbosity: int) -> None:
        files = _class_files(paths)
        try:
            if jobs > 0 and len(files) > 1:
                # Reading and checking (pure Python, no database) in other processes, in order,
                # while this one writes the files already checked.
                with ProcessPoolExecutor(
                    max_workers=min(jobs, len(files)), initializer=_setup_worker
                ) as pool:
                    results = datafile.import_class(_checked_ahead(pool, files))
            else:
                results = datafile.import_class((name, _read_and_validate(name)) for name in files)
        except datafile.ClassImportError as refusal:
            # Its lines name each refused file, in the files' order.
            refused = plural(len(refusal.problems), "file")
            raise CommandError(f"Nothing was imported ({refused} refused):\n{refusal}") from refusal
        if verbosity >= 1:
            for name, result in zip(files, results, strict=True):
                self.stdout.write(f"{name}: {result.summary()}.")
        created = sum(result.created for result in results)
        totals = ", ".join(
            plural(sum(getattr(result, noun) for result in results), noun.rstrip("s"))
            for noun in ("contacts", "rotations", "interactions", "letters")
        )
        self.stdout.write(
            f"Imported a class of {plural(len(results), 'student')}: {totals}; "
            f"{plural(created, 'new student')} created."
        )
        if created:
            self.stdout.write(
                "New students can set a password with \u201cForgot your password?\u201d on the "
                "login page."
            )


def _cpus() -> int:
    """The CPUs this process may run on (a container's share, where the OS says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _class_files(paths: list[str]) -> list[str]:
    """The class's files, as named in messages: each PATH, or a directory's *.json files (by
    name, not its subdirectories), each once."""
    files: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            found = sorted(str(child) for child in folder.glob("*.json") if child.is_file())
            if not found:
                raise CommandError(f"{path}: no .json files in this directory")
            files += found
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _read_text(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    with open(file, encoding="utf-8-sig") as handle:
        return handle.read()


def _read_and_validate(file: str) -> datafile.ParsedDocument | datafile.DataFileError:
    """One file of a class, read and validated (in a worker process with --jobs): what
    datafile.import_class takes for it."""
    try:
        return datafile.validate(datafile.read(_read_text(file)))
    except OSError as error:
        return datafile.DataFileError("document", f"cannot be read ({error.strerror or error})")
    except UnicodeDecodeError:
        return datafile.DataFileError("document", "not UTF-8 text")
    except datafile.DataFileError as error:
        return error


def _checked_ahead(pool: ProcessPoolExecutor, files: list[str]):
    """(name, checked file) in order, checked by the pool at most two rounds of files ahead of
    the writing: a big class is never held in memory whole."""
    ahead = 2 * datafile.CLASS_CHUNK
    waiting: collections.deque = collections.deque()
    for name in files:
        waiting.append((name, pool.submit(_read_and_validate, name)))
        if len(waiting) > ahead:
            done, future = waiting.popleft()
            yield done, future.result()
    while waiting:
        done, future = waiting.popleft()
        yield done, future.result()


def _setup_worker() -> None:
    """A worker process started afresh (not forked) sets Django up first."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _read_json(file: str):
    try:
        text = _read_text(file)
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"document: {file} is not UTF-8 text") from error
    try:
        return datafile.read(text)
    except datafile.DataFileError as error:
        raise CommandError(str(error)) from error
