"""Registering a group (a school's class list, say) from a spreadsheet.

The file format, documented in the template's « Mode d’emploi » sheet:

- the first non-empty row of the first sheet holds the headers, in any order: « Prénom »,
  « Nom », « E-mail », « Organisation » and « Profil » are required, « Téléphone »,
  « Fonction », « Formation », « Année », « Secteur » optional; « Repas » (Oui / Non) when
  the event asks it;
- per workshop slot, one column per rank: « Atelier 1er choix », « Atelier 2e choix »…
  (« Créneau 2 – atelier 1er choix »… when the event has several slots; « Atelier » alone
  in first-come mode), holding the workshop's number as the programme shows it;
- every other row is a person, checked by the very form people fill in online.

Nothing here touches the request: the views pass the file's bytes and get back rows, each
accepted (with what to register) or refused (with the reasons, in French). The template
is built by :mod:`journee.registration.import_template`; the uploaded file waits for
the confirmation in an :class:`~.upload_store.UploadStore`.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..documents.xlsx import safe_text
from ..errors import JourneeError
from ..extensions import db
from ..formatting import NNBSP, ordinal
from ..programme.models import SECTORS, Event, Session, WorkshopMode
from ..util.text import quoted
from . import services
from .emails import queue_registration_confirmation_later
from .forms import COURSES, NO, YES, build_form
from .models import PROFILE_LABELS, Profile, Registration, Source
from .privacy import PRIVACY_VERSION

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_BLANK_ROWS = 10_000
"""Empty rows read before giving up: a sheet of a million empty rows is no class list."""

# What the biggest list needs once unzipped, checked before openpyxl parses anything: a
# small upload can hold tens of megabytes of XML that take a worker half a minute and
# hundreds of megabytes of memory to parse.
MAX_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS
"""Every cell ``read_rows`` could use: the headers and 2,000 people, 60 columns each."""
MAX_SHEET_ROWS = MAX_ROWS + 1 + MAX_BLANK_ROWS
"""Every row ``read_rows`` could look at before it stops."""
MAX_ELEMENTS = 4 * MAX_CELLS
"""XML elements in the whole file: a cell, its value, its shared string and its text."""
MAX_PART_BYTES = 128 * MAX_CELLS
"""One part of the file (the sheet is the biggest): 128 bytes of markup and text a cell."""
MAX_UNCOMPRESSED_BYTES = 2 * MAX_PART_BYTES
MAX_RATIO = 100
"""Compression ratio of a part above 1 MB: spreadsheet XML deflates 5 to 30 times, zip
bombs hundreds of times."""


class ImportRefused(JourneeError):
    """The file as a whole cannot be read as a registrations list."""


class ImportFailed(JourneeError):
    """Writing the rows failed: nothing was written."""

    def __init__(self, message: str, row_number: int):
        super().__init__(message)
        self.row_number = row_number


# Columns -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: bool = False
    example: object = ""
    session_id: int | None = None
    rank: int | None = None


def import_columns(event: Event) -> list[ImportColumn]:
    """The columns of this event's import file, in the template's order."""
    columns = [
        ImportColumn("first_name", "Prénom", True, "Zoé"),
        ImportColumn("last_name", "Nom", True, "Martin"),
        ImportColumn("email", "E-mail", True, "zoe.martin@example.org"),
        ImportColumn("phone", "Téléphone", False, "06 12 34 56 78"),
        ImportColumn("organisation", "Organisation", True, "IRTS-IDS Normandie"),
        ImportColumn("function", "Fonction", False, "Étudiante éducatrice spécialisée"),
        ImportColumn("profile", "Profil", True, PROFILE_LABELS[Profile.STUDENT]),
        ImportColumn("course", "Formation", False, "ES"),
        ImportColumn("course_year", "Année", False, 2),
        ImportColumn("sector", "Secteur", False, SECTORS[0]),
    ]
    if event.ask_lunch:
        columns.append(ImportColumn("lunch", "Repas", True, "Oui"))
    slots = _slots(event)
    first_come = event.workshop_mode == WorkshopMode.FIRST_COME
    for index, session in enumerate(slots, start=1):
        prefix = f"Créneau {index} – atelier" if len(slots) > 1 else "Atelier"
        ranks = 1 if first_come else min(event.workshop_choices, len(session.workshops))
        for rank in range(1, ranks + 1):
            # The key is the name of the online form's field for this slot and rank.
            if first_come:
                key, header = f"atelier_{session.id}", prefix
            else:
                key, header = f"atelier_{session.id}_{rank}", f"{prefix} {ordinal(rank)}\u00a0choix"
            example = session.workshops[(rank - 1) % len(session.workshops)].number
            columns.append(ImportColumn(key, header, rank == 1, example, session.id, rank))
    return columns


def _slots(event: Event) -> list[Session]:
    return [session for session in event.workshop_sessions if session.workshops]


def _key(text: object) -> str:
    """Headers and answers compared loosely: no accents, case, spaces or punctuation, so
    « E-mail », « e mail » and « EMAIL » are one header, « Étudiant » and « etudiant »
    one answer."""
    text = unicodedata.normalize("NFKD", safe_text(text)).casefold()
    return "".join(c for c in text if c.isalnum())


# Reading the file ----------------------------------------------------------------------

def check_file(data: bytes) -> None:
    """Refuse what is not a reasonable XLSX before openpyxl opens it: too big, not a zip,
    a zip bomb, or more rows, cells or strings than a list of :data:`MAX_ROWS` people
    needs. The sizes are the zip directory's: ``zipfile`` (openpyxl's reader too)
    never inflates a part beyond its declared size."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(f"Le fichier dépasse 5{NNBSP}Mo{NNBSP}: découpez la liste en "
                            "plusieurs fichiers.")
    not_xlsx = ImportRefused("Ce fichier n’est pas un classeur Excel (.xlsx) lisible. "
                             "Enregistrez la liste au format .xlsx, ou partez du modèle.")
    too_big = ImportRefused("Ce fichier est anormalement volumineux une fois décompressé"
                            f"{NNBSP}: il a été refusé.")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if (sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES
                    or any(_inflated(member) for member in members)):
                raise too_big
            if not any(member.filename == "xl/workbook.xml" for member in members):
                raise not_xlsx
            counts = Counter()
            for member in members:
                counts += _elements(archive.read(member))
                if (counts["*"] > MAX_ELEMENTS or counts[b"c"] > MAX_CELLS
                        or counts[b"si"] > MAX_CELLS or counts[b"row"] > MAX_SHEET_ROWS):
                    raise ImportRefused(
                        f"Ce classeur est bien plus grand qu’une liste de 2{NNBSP}000\u00a0"
                        f"personnes (trop de lignes, de cellules ou de textes){NNBSP}: "
                        "copiez la liste dans le modèle, ou découpez-la en plusieurs "
                        "fichiers.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError):
        # Not a zip, a damaged or encrypted part, or an unknown compression method.
        raise not_xlsx from None


def _inflated(member: zipfile.ZipInfo) -> bool:
    """A part bigger than any list needs, or one that inflates like a zip bomb."""
    return member.file_size > MAX_PART_BYTES or (
        member.file_size > 1024 * 1024
        and member.file_size > MAX_RATIO * max(member.compress_size, 1))


_COUNTED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row|si)[\s/>]")
"""Cells, rows and shared strings, with or without a namespace prefix (``<x:c>``)."""


def _elements(part: bytes) -> Counter:
    """The part's elements (``*``; a stray ``<`` in a binary part counts too), and its
    cells, rows and shared strings. Text cannot hide a tag: XML escapes ``<`` in it."""
    counts = Counter({"*": part.count(b"<") - part.count(b"</") - part.count(b"<?")
                      - part.count(b"<!")})
    if counts["*"] <= MAX_ELEMENTS:
        counts.update(match.group(1) for match in _COUNTED.finditer(part))
    return counts


def read_rows(data: bytes) -> list[tuple[int, tuple]]:
    """The non-empty rows of the first sheet as ``(row number, values)``, header first."""
    check_file(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file.
        raise ImportRefused("Ce fichier n’est pas un classeur Excel (.xlsx) lisible. "
                            "Enregistrez la liste au format .xlsx, ou partez du modèle.") \
            from None
    try:
        if not workbook.worksheets:
            raise ImportRefused("Le classeur ne contient aucune feuille.")
        rows, blank = [], 0
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS,
                                                        values_only=True), start=1):
            if all(value is None or (isinstance(value, str) and not value.strip())
                   for value in values):
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    break
                continue
            rows.append((number, tuple(values)))
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused(f"Le fichier contient plus de 2{NNBSP}000\u00a0lignes"
                                    f"{NNBSP}: découpez la liste en plusieurs fichiers.")
        return rows
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused("Ce fichier n’a pas pu être lu jusqu’au bout. Enregistrez-le "
                            "à nouveau au format .xlsx, ou partez du modèle.") from None
    finally:
        workbook.close()


def _header_map(event: Event, header: tuple) -> dict[str, int]:
    """Column index per import column key; refuse unknown, doubled or missing headers."""
    columns = {_key(column.header): column for column in import_columns(event)}
    found: dict[str, int] = {}
    unknown, doubled = [], []
    for index, title in enumerate(header):
        if title is None or not str(title).strip():
            continue
        column = columns.get(_key(str(title).rstrip("* ")))
        if column is None:
            unknown.append(safe_text(title).strip())
        elif column.key in found:
            doubled.append(column.header)
        else:
            found[column.key] = index
    problems = []
    missing = [c.header for c in columns.values() if c.required and c.key not in found]
    if missing:
        problems.append("colonnes manquantes " + _quoted(missing))
    if unknown:
        problems.append("colonnes inconnues " + _quoted(unknown))
    if doubled:
        problems.append("colonnes en double " + _quoted(doubled))
    if problems:
        raise ImportRefused(
            "La première ligne du fichier doit contenir les en-têtes du modèle"
            f"{NNBSP}: " + f"{NNBSP}; ".join(problems)
            + ". Téléchargez le modèle pour voir les colonnes attendues.")
    return found


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(quoted(name, NNBSP) for name in names)


# Checking each row ---------------------------------------------------------------------

@dataclass
class ImportRow:
    """One person of the file: accepted (``attendee`` set) or refused (``errors``)."""

    number: int
    first_name: str
    last_name: str
    email: str
    errors: list[str] = field(default_factory=list)
    attendee: services.Attendee | None = None
    workshops: str = ""

    @property
    def accepted(self) -> bool:
        return self.attendee is not None


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def accepted(self) -> list[ImportRow]:
        return [row for row in self.rows if row.accepted]

    @property
    def refused(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.accepted]


def parse_import(event: Event, data: bytes, check_registered: bool = True) -> ImportPreview:
    """Read the file and check every row with the rules of the online form.

    Addresses already registered for the event, or repeated in the file, are refused
    too; ``check_registered=False`` leaves the former to the insert (on confirmation,
    a registration made since the preview must make the whole import fail).
    """
    rows = read_rows(data)
    if not rows:
        raise ImportRefused("Le fichier est vide.")
    header_number, header = rows[0]
    positions = _header_map(event, header)
    if len(rows) == 1:
        raise ImportRefused("Le fichier ne contient aucune personne sous la ligne "
                            "d’en-têtes.")
    columns = {column.key: column for column in import_columns(event)}
    numbers = {session.id: {w.number: w for w in session.workshops}
               for session in _slots(event)}
    registered = _registered_emails(event) if check_registered else set()
    seen: dict[str, int] = {}
    checked = []
    for number, values in rows[1:]:
        cells = {key: values[index] if index < len(values) else None
                 for key, index in positions.items()}
        row = _check_row(event, number, cells, columns, numbers)
        if row.accepted:
            email = row.attendee.email
            if email in registered:
                row.errors.append(f"E-mail{NNBSP}: cette adresse est déjà inscrite à cette "
                                  "journée.")
            elif email in seen:
                row.errors.append(f"E-mail{NNBSP}: cette adresse figure déjà ligne "
                                  f"{seen[email]} du fichier.")
            else:
                seen[email] = number
            if row.errors:
                row.attendee = None
        checked.append(row)
    return ImportPreview(checked)


def _registered_emails(event: Event) -> set[str]:
    return set(db.session.scalars(select(Registration.email)
                                  .where(Registration.event_id == event.id,
                                         Registration.email.is_not(None))))


def _check_row(event: Event, number: int, cells: dict, columns: dict[str, ImportColumn],
               numbers: dict[int, dict]) -> ImportRow:
    formdata, problems = _formdata(cells, columns, numbers)
    form = build_form(event, editing=True, formdata=formdata, meta={"csrf": False})
    text = {key: _text(cells.get(key)) for key in ("first_name", "last_name", "email")}
    row = ImportRow(number, text["first_name"], text["last_name"], text["email"])
    valid = form.validate()
    for name, messages in form.errors.items():
        label = _label_of(name, columns)
        row.errors.extend(f"{label}{NNBSP}: {message}" for message in messages)
    # A cell that could not be read gets its own message, not the form's generic one.
    row.errors = [message for message in row.errors
                  if not any(message.startswith(label + NNBSP) for label, _ in problems)]
    row.errors.extend(f"{label}{NNBSP}: {message}" for label, message in problems)
    if valid and not problems:
        row.attendee = services.Attendee(**form.details(), choices=form.workshop_choices(),
                                         privacy_version=PRIVACY_VERSION)
        number_of = {w.id: n for by_number in numbers.values() for n, w in by_number.items()}
        row.workshops = " ; ".join(
            ", ".join(f"{rank}. n°{NNBSP}{number_of[workshop_id]}"
                      for rank, workshop_id in enumerate(ranked, start=1))
            for ranked in row.attendee.choices.values())
    return row


def _label_of(name: str, columns: dict[str, ImportColumn]) -> str:
    if name == "sector_other":
        name = "sector"
    column = columns.get(name)
    return column.header if column else name


def _formdata(cells: dict, columns: dict[str, ImportColumn],
              numbers: dict[int, dict]) -> tuple[MultiDict, list[tuple[str, str]]]:
    """The row as the online form would post it, and the cells that could not be read."""
    data: dict[str, str] = {key: _text(cells.get(key)) for key in
                            ("first_name", "last_name", "email", "organisation", "function")}
    problems: list[tuple[str, str]] = []
    data["phone"] = _phone(cells.get("phone"))
    data["profile"] = _PROFILES.get(_key(cells.get("profile")), _text(cells.get("profile")))
    if data["profile"] and data["profile"] not in _PROFILE_VALUES:
        problems.append(("Profil", "indiquez un des profils de la liste du modèle "
                                   f"(par exemple «{NNBSP}Étudiant·e{NNBSP}»)."))
    course = _text(cells.get("course"))
    data["course"] = _COURSES.get(_key(course), course)
    if course and data["course"] not in COURSES:
        problems.append(("Formation", "indiquez une des formations de la liste du modèle "
                                      f"({', '.join(COURSES)})."))
    year = _text(cells.get("course_year"))
    match = _YEAR.fullmatch(year)
    data["course_year"] = match.group(1) if match else year
    if year and not match:
        problems.append(("Année", "indiquez un nombre de 1 à 6."))
    sector = _text(cells.get("sector"))
    listed = _SECTORS.get(_key(sector))
    data["sector"], data["sector_other"] = (listed, "") if listed else ("", sector)
    if "lunch" in columns:
        lunch = _key(cells.get("lunch"))
        data["lunch"] = _YES_NO.get(lunch, lunch)
        if lunch and lunch not in _YES_NO:
            problems.append(("Repas", f"répondez «{NNBSP}Oui{NNBSP}» ou «{NNBSP}Non{NNBSP}»."))
    data["accommodation_needed"] = NO
    for key, column in columns.items():
        if column.session_id is None:
            continue
        raw = cells.get(key)
        if raw is None or _text(raw) == "":
            continue
        wanted = _workshop_number(raw)
        workshop = numbers[column.session_id].get(wanted)
        if workshop is None:
            available = ", ".join(str(n) for n in sorted(numbers[column.session_id]))
            problems.append((column.header, f"pas d’atelier «{NNBSP}{_text(raw)}{NNBSP}» sur "
                                            f"ce créneau (numéros possibles{NNBSP}: "
                                            f"{available})."))
        else:
            data[key] = str(workshop.id)
    return MultiDict({k: v for k, v in data.items() if v is not None}), problems


def _text(value: object) -> str:
    """A cell as the text a person would have typed (an integer without « .0 »)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _phone(value: object) -> str:
    """A number typed in a numeric cell lost its leading zero: 612345678 → 0612345678."""
    text = _text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) == 9:
        return "0" + text
    return text


def _workshop_number(value: object) -> int | None:
    """« 3 », 3, « n° 3 », « Atelier 3 » → 3."""
    match = re.search(r"\d+", _text(value))
    return int(match.group()) if match else None


_YEAR = re.compile(r"([1-6])(?:\s*(?:e|è|ème|eme|re|ère|ere)?\b.*)?")
"""« 2 », « 2e », « 2e année », « 1re année »."""
_PROFILE_VALUES = {profile.value for profile in Profile}
_PROFILE_ALIASES = {
    Profile.STUDENT: ("étudiant", "étudiante", "élève", "stagiaire"),
    Profile.PROFESSIONAL: ("professionnel", "professionnelle", "pro"),
    Profile.TRAINER: ("formateur", "formatrice", "enseignant", "enseignante"),
    Profile.RESEARCHER: ("chercheur", "chercheuse", "chercheure"),
    Profile.MANAGER: ("cadre", "chef de service", "directeur", "directrice"),
    Profile.INSTITUTIONAL: ("institutionnel", "institutionnelle", "acteur institutionnel",
                            "actrice institutionnelle"),
    Profile.SUPPORTED_PERSON: ("personne accompagnée", "usager", "usagère"),
    Profile.OTHER: ("autre",),
}
_PROFILES = {_key(alias): profile.value for profile, aliases in _PROFILE_ALIASES.items()
             for alias in (*aliases, PROFILE_LABELS[profile], profile.value)}
_COURSES = {_key(course): course for course in COURSES}
_SECTORS = {_key(sector): sector for sector in SECTORS}
_YES_NO = {_key(word): YES for word in ("oui", "o", "yes", "x", "1", "vrai")} | {
    _key(word): NO for word in ("non", "n", "no", "0", "faux")}


# Writing -------------------------------------------------------------------------------

def import_registrations(event: Event, rows: Iterable[ImportRow], entered_by: str,
                         today: date) -> int:
    """Register every accepted row in the current transaction: all or nothing; each
    person with an e-mail address is sent their confirmation.

    Raises :class:`ImportFailed` (naming the row) after rolling everything back when one
    registration is refused: an address registered since the preview, no place left
    without a waiting list, a workshop that is full in first-come mode. The caller commits.
    """
    count = 0
    for row in rows:
        if not row.accepted:
            continue
        try:
            registration = services.register(event.id, row.attendee, today,
                                             source=Source.IMPORT, entered_by=entered_by)
        except JourneeError as refused:
            db.session.rollback()
            raise ImportFailed(f"Ligne {row.number} ({row.first_name} {row.last_name})"
                               f"{NNBSP}: {refused}", row.number) from refused
        # Each person gets their confirmation and personal link, written by the sender.
        queue_registration_confirmation_later(registration)
        count += 1
    return count
