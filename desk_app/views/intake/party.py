"""One party on the intake form: a person or an organisation, with live ID hints."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import identity
from desk_app.services.cases import FOREIGN_ID_TYPES, GENDERS, PARTY_KINDS, PARTY_ROLES, PartyInput
from desk_app.services.errors import ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.views.widgets.form import ERROR_STYLE

# 19900315, 1990-03-15, 1990/3/15, 1990.3.15, 1990年3月15日
_DATE_RE = re.compile(
    r"^(\d{4})(?:(\d{2})(\d{2})|\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?)$"
)
ROLE_ORDER = tuple(PARTY_ROLES)


def today_here() -> date:
    """Today's date at the center (Asia/Shanghai), whatever the machine's zone."""
    return datetime.now(SHANGHAI).date()


def parse_date(text: str) -> date | None:
    """A date typed as 1990-03-15 (or 19900315, 1990/3/15, 1990年3月15日); ValueError if not."""
    text = text.strip()
    if not text:
        return None
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    year, m8, d8, m, d = match.groups()
    return date(int(year), int(m8 or m), int(d8 or d))


def compact_combo(combo: QComboBox, length: int = 6) -> QComboBox:
    """Let a combo with long items shrink: its width must never force horizontal scrolling."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(length)
    return combo


def searchable(combo: QComboBox) -> QComboBox:
    """An editable combo that filters its items by any part of the typed text (Chinese too)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    return compact_combo(combo)


def set_combo_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index)
    if index < 0 and combo.isEditable():
        combo.setEditText("")


def combo_value(combo: QComboBox) -> str:
    """The data of the item the combo's text names; for an editable combo, unknown text as is."""
    if not combo.isEditable():
        data = combo.currentData()
        return "" if data is None else str(data)
    text = combo.currentText().strip()
    if not text:
        return ""
    index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if index < 0:
        return text
    data = combo.itemData(index)
    return "" if data is None else str(data)


@dataclass
class _Row:
    caption: QLabel
    cell: QWidget
    widget: QWidget
    error: QLabel


class FieldGrid:
    """Captioned fields on grids, each with a Chinese error line under it.

    Field names follow the service's error keys (``name``, ``id_number``, ``title``).
    A field goes on the grid given at construction unless `add` names another.
    """

    def __init__(self, grid: QGridLayout | None = None) -> None:
        self.grid = grid
        self._rows: dict[str, _Row] = {}

    def add(
        self,
        name: str,
        caption: str,
        widget: QWidget,
        row: int,
        column: int,
        *,
        span: int = 1,
        rows: int = 1,
        grid: QGridLayout | None = None,
        before: Sequence[QWidget] = (),
        extra: Sequence[QWidget] = (),
        buddy: QWidget | None = None,
    ) -> QLabel:
        label = QLabel(caption)
        label.setBuddy(buddy or widget)
        label.setObjectName(f"caption_{name}")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Level with the field's first line (a multi-line field has its caption at the top).
        line_height = label.fontMetrics().height() + 10
        height = min(widget.sizeHint().height(), widget.maximumHeight())
        label.setMinimumHeight(height if height <= 2 * line_height else line_height)
        cell = QWidget()
        column_layout = QVBoxLayout(cell)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(1)
        line = QHBoxLayout()
        line.setSpacing(4)
        for w in before:
            line.addWidget(w)
        line.addWidget(widget, 1)
        for w in extra:
            line.addWidget(w)
        column_layout.addLayout(line)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column_layout.addWidget(error)
        column_layout.addStretch(1)  # a neighbour's error makes the row taller: stay on top
        grid = grid or self.grid
        assert grid is not None, "no grid to put the field on"
        grid.addWidget(label, row, 2 * column, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(cell, row, 2 * column + 1, rows, 2 * span - 1)
        self._rows[name] = _Row(label, cell, widget, error)
        return label

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def widget(self, name: str) -> QWidget:
        return self._rows[name].widget

    def caption(self, name: str) -> QLabel:
        return self._rows[name].caption

    def error_label(self, name: str) -> QLabel:
        return self._rows[name].error

    def set_visible(self, name: str, visible: bool) -> None:
        row = self._rows[name]
        row.caption.setVisible(visible)
        row.cell.setVisible(visible)

    def is_shown(self, name: str) -> bool:
        return not self._rows[name].cell.isHidden()

    def set_error(self, name: str, message: str) -> QWidget:
        row = self._rows[name]
        row.error.setText(message)
        row.error.setVisible(bool(message))
        return row.widget

    def clear(self) -> None:
        for row in self._rows.values():
            row.error.clear()
            row.error.hide()


class PartyEditor(QFrame):
    """An applicant, respondent or third party: a person or an organisation.

    A complete resident ID fills the birth date and gender and shows the age at
    once (`identity.parse_resident_id` is pure and instant); the service checks
    everything again when the form is saved.
    """

    remove_requested = Signal(object)  # the editor

    def __init__(self, role: str = "applicant", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("party_editor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.party_id: uuid.UUID | None = None
        self._group_visit = False

        self.number = QLabel()
        self.number.setObjectName("party_number")
        font = self.number.font()
        font.setBold(True)
        self.number.setFont(font)
        self.role = compact_combo(QComboBox(), 4)
        for code, label in PARTY_ROLES.items():
            self.role.addItem(label, code)
        self.kind = compact_combo(QComboBox(), 4)
        for code, label in PARTY_KINDS.items():
            self.kind.addItem(label, code)
        self.representative = QCheckBox(self.tr("Representative of the group"))
        self.representative.hide()
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove this party from the form"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

        # Person and organisation share name, phone and address.
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.id_type = compact_combo(QComboBox(), 5)
        for code, label in identity.ID_TYPES.items():
            self.id_type.addItem(label, code)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(40)
        self.phone = QLineEdit()
        self.phone.setMaxLength(32)
        self.gender = compact_combo(QComboBox(), 2)
        self.gender.addItem("", "")
        for code, label in GENDERS.items():
            self.gender.addItem(label, code)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.birth_date.setMaxLength(12)
        self.age = QLabel()
        self.age.setObjectName("age")
        self.age.setMinimumWidth(self.fontMetrics().horizontalAdvance("000 years"))
        self.ethnicity = searchable(QComboBox())
        self.ethnicity.addItem("", "")
        for code, label in identity.ETHNICITIES.items():
            self.ethnicity.addItem(label, code)
        self.ethnicity.setCurrentIndex(0)
        self.nationality = QLineEdit()
        self.nationality.setMaxLength(32)
        self.nationality.setPlaceholderText(self.tr("e.g. Laos"))
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.occupation = QLineEdit()
        self.occupation.setMaxLength(64)
        self.needs_interpreter = QCheckBox(self.tr("needed"))
        self.language = QLineEdit()
        self.language.setMaxLength(32)
        self.language.setPlaceholderText(self.tr("e.g. Dai"))
        self.org_code = QLineEdit()
        self.org_code.setMaxLength(18)
        self.legal_representative = QLineEdit()
        self.legal_representative.setMaxLength(64)
        self.contact_person = QLineEdit()
        self.contact_person.setMaxLength(64)

        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(self.number)
        role_caption = QLabel(self.tr("Role"))
        role_caption.setBuddy(self.role)
        kind_caption = QLabel(self.tr("Kind"))
        kind_caption.setBuddy(self.kind)
        header.addWidget(role_caption)
        header.addWidget(self.role)
        header.addSpacing(8)
        header.addWidget(kind_caption)
        header.addWidget(self.kind)
        header.addSpacing(8)
        header.addWidget(self.representative)
        header.addStretch(1)
        header.addWidget(self.remove_button)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.fields = FieldGrid(grid)
        f = self.fields
        f.add("name", self.tr("Name"), self.name, 0, 0)
        f.add("id_type", self.tr("ID type"), self.id_type, 0, 1)
        f.add("id_number", self.tr("ID number"), self.id_number, 0, 2)
        f.add("org_code", self.tr("Credit code"), self.org_code, 0, 1)
        f.add("phone", self.tr("Phone"), self.phone, 1, 0)
        f.add("gender", self.tr("Gender"), self.gender, 1, 1)
        f.add("birth_date", self.tr("Born"), self.birth_date, 1, 2, extra=[self.age])
        f.add("legal_representative", self.tr("Legal rep."), self.legal_representative, 1, 1)
        f.add("contact_person", self.tr("Contact"), self.contact_person, 1, 2)
        f.add("ethnicity", self.tr("Ethnicity"), self.ethnicity, 2, 0)
        f.add("occupation", self.tr("Occupation"), self.occupation, 2, 1)
        f.add("nationality", self.tr("Nationality"), self.nationality, 2, 2)
        f.add("address", self.tr("Address"), self.address, 3, 0, span=2)
        language_caption = QLabel(self.tr("language"))
        language_caption.setBuddy(self.language)
        f.add(
            "interpreter_language",
            self.tr("Interpreter"),
            self.language,
            3,
            2,
            before=[self.needs_interpreter, language_caption],
            buddy=self.needs_interpreter,
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addLayout(grid)

        self.role.currentIndexChanged.connect(self._update_title)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.id_type.currentIndexChanged.connect(self._id_type_changed)
        self.id_number.textChanged.connect(self._id_typed)
        self.id_number.editingFinished.connect(self._check_id)
        self.phone.textChanged.connect(lambda: self.fields.set_error("phone", ""))
        self.phone.editingFinished.connect(self._check_phone)
        self.birth_date.textChanged.connect(self._birth_date_typed)
        self.needs_interpreter.toggled.connect(self.language.setEnabled)
        self.language.setEnabled(False)
        self.set_role(role)
        self._kind_changed()
        self._id_type_changed()

    # --- state --------------------------------------------------------------------

    def set_number(self, number: int) -> None:
        self.number.setText(f"{number}.")

    def set_role(self, role: str) -> None:
        set_combo_data(self.role, role)

    def role_code(self) -> str:
        return combo_value(self.role)

    def is_organisation(self) -> bool:
        return combo_value(self.kind) == "organisation"

    def set_group_visit(self, group_visit: bool) -> None:
        self._group_visit = group_visit
        self.representative.setVisible(group_visit and not self.is_organisation())

    def focus_chain(self) -> list[QWidget]:
        """This editor's fields in tab order (hidden or disabled ones are skipped by Qt)."""
        return [
            self.role,
            self.kind,
            self.representative,
            self.name,
            self.id_type,
            self.id_number,
            self.org_code,
            self.phone,
            self.gender,
            self.birth_date,
            self.legal_representative,
            self.contact_person,
            self.ethnicity,
            self.occupation,
            self.nationality,
            self.address,
            self.needs_interpreter,
            self.language,
            self.remove_button,
        ]

    def _update_title(self) -> None:
        self.setToolTip(self.role.currentText())

    def _kind_changed(self) -> None:
        organisation = self.is_organisation()
        person_only = (
            "id_type",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "occupation",
            "nationality",
            "interpreter_language",
        )
        for name in person_only:
            self.fields.set_visible(name, not organisation)
        for name in ("org_code", "legal_representative", "contact_person"):
            self.fields.set_visible(name, organisation)
        self.fields.caption("name").setText(
            self.tr("Organisation") if organisation else self.tr("Name")
        )
        self.set_group_visit(self._group_visit)

    def _id_type_changed(self) -> None:
        id_type = combo_value(self.id_type)
        foreign = id_type in FOREIGN_ID_TYPES
        self.nationality.setEnabled(foreign or id_type == "other")
        self.ethnicity.setEnabled(not foreign)
        self._id_typed()

    # --- live hints -----------------------------------------------------------------

    def _id_typed(self) -> None:
        """Fill birth date and gender from a resident ID as soon as it is complete."""
        self.fields.set_error("id_number", "")
        if len(identity.normalise_id(self.id_number.text())) == 18:
            self._fill_from_id()

    def _check_id(self) -> None:
        """When the clerk leaves the field: a 15-digit number too, and other documents."""
        if not self.id_number.text().strip() or self.is_organisation():
            return
        if combo_value(self.id_type) == "resident_id":
            self._fill_from_id()
            return
        try:
            identity.validate_id(
                combo_value(self.id_type),
                self.id_number.text(),
                self.nationality.text(),
                today_here(),
            )
        except ValidationError as exc:
            self.fields.set_error("id_number", exc.fields.get("id_number", ""))

    def _fill_from_id(self) -> None:
        if combo_value(self.id_type) != "resident_id":
            return
        try:
            resident = identity.parse_resident_id(self.id_number.text(), today_here())
        except ValidationError as exc:
            self.fields.set_error("id_number", exc.fields.get("id_number", exc.message))
            return
        self.birth_date.setText(resident.birth_date.isoformat())
        set_combo_data(self.gender, resident.gender)

    def _check_phone(self) -> None:
        if not self.phone.text().strip():
            return
        try:
            identity.validate_phone(self.phone.text())
        except ValidationError as exc:
            self.fields.set_error("phone", exc.fields.get("phone", exc.message))

    def _birth_date_typed(self) -> None:
        self.fields.set_error("birth_date", "")
        try:
            born = parse_date(self.birth_date.text())
        except ValueError:
            born = None
        today = today_here()
        if born is None or born > today:
            self.age.clear()
            return
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        self.age.setText(self.tr("%n year(s)", "", years))

    # --- input and errors ---------------------------------------------------------------

    def party(self) -> tuple[PartyInput, dict[str, str]]:
        """The party as typed, and what the form itself could not read (by field)."""
        errors: dict[str, str] = {}
        role = self.role_code()
        representative = self._group_visit and self.representative.isChecked()
        if self.is_organisation():
            code = self.org_code.text().strip()
            return (
                PartyInput(
                    id=self.party_id,
                    name=self.name.text(),
                    role=role,
                    kind="organisation",
                    id_type="uscc" if code else "",
                    id_number=code,
                    phone=self.phone.text().strip(),
                    address=self.address.text(),
                    legal_representative=self.legal_representative.text(),
                    contact_person=self.contact_person.text(),
                    is_representative=False,
                ),
                errors,
            )
        try:
            born = parse_date(self.birth_date.text())
        except ValueError:
            born = None
            errors["birth_date"] = self.tr("Write the birth date as 1990-03-15")
        number = self.id_number.text().strip()
        id_type = combo_value(self.id_type)
        if not number and id_type == "resident_id":
            id_type = ""  # the default type with no number: no document given
        ethnicity = combo_value(self.ethnicity) if self.ethnicity.isEnabled() else ""
        return (
            PartyInput(
                id=self.party_id,
                name=self.name.text(),
                role=role,
                kind="person",
                gender=combo_value(self.gender),
                ethnicity=ethnicity,
                nationality=self.nationality.text().strip() if self.nationality.isEnabled() else "",
                id_type=id_type,
                id_number=number,
                birth_date=born,
                phone=self.phone.text().strip(),
                address=self.address.text(),
                occupation=self.occupation.text(),
                needs_interpreter=self.needs_interpreter.isChecked(),
                interpreter_language=self.language.text() if self.language.isEnabled() else "",
                is_representative=representative,
            ),
            errors,
        )

    def set_party(self, p: PartyInput) -> None:
        """Fill the editor from a stored party (correction mode); the party keeps its id."""
        self.party_id = p.id
        self.set_role(p.role)
        set_combo_data(self.kind, p.kind)
        self.name.setText(p.name)
        self.phone.setText(p.phone)
        self.address.setText(p.address)
        if p.kind == "organisation":
            self.org_code.setText(p.id_number)
            self.legal_representative.setText(p.legal_representative)
            self.contact_person.setText(p.contact_person)
        else:
            set_combo_data(self.id_type, p.id_type or "resident_id")
            self.id_number.setText(p.id_number)
            set_combo_data(self.gender, p.gender)
            self.birth_date.setText(p.birth_date.isoformat() if p.birth_date else "")
            set_combo_data(self.ethnicity, p.ethnicity)
            self.nationality.setText(p.nationality)
            self.occupation.setText(p.occupation)
            self.needs_interpreter.setChecked(p.needs_interpreter)
            self.language.setText(p.interpreter_language)
        self.representative.setChecked(p.is_representative)

    def snapshot(self) -> dict[str, Any]:
        """Every field as typed (for drafts): texts as they stand, even if not valid yet."""
        return {
            "role": self.role_code(),
            "kind": combo_value(self.kind),
            "representative": self.representative.isChecked(),
            "name": self.name.text(),
            "id_type": combo_value(self.id_type),
            "id_number": self.id_number.text(),
            "org_code": self.org_code.text(),
            "phone": self.phone.text(),
            "gender": combo_value(self.gender),
            "birth_date": self.birth_date.text(),
            "ethnicity": self.ethnicity.currentText(),
            "nationality": self.nationality.text(),
            "address": self.address.text(),
            "occupation": self.occupation.text(),
            "needs_interpreter": self.needs_interpreter.isChecked(),
            "language": self.language.text(),
            "legal_representative": self.legal_representative.text(),
            "contact_person": self.contact_person.text(),
        }

    def restore(self, snap: Mapping[str, Any]) -> None:
        """Put a `snapshot` back (the ID number first: it fills birth date and gender)."""

        def text(key: str) -> str:
            value = snap.get(key)
            return value if isinstance(value, str) else ""

        self.set_role(text("role") or "applicant")
        set_combo_data(self.kind, text("kind") or "person")
        set_combo_data(self.id_type, text("id_type") or "resident_id")
        self.id_number.setText(text("id_number"))
        self.org_code.setText(text("org_code"))
        self.name.setText(text("name"))
        self.phone.setText(text("phone"))
        set_combo_data(self.gender, text("gender"))
        self.birth_date.setText(text("birth_date"))
        ethnicity = text("ethnicity")
        index = 0
        if ethnicity:
            index = self.ethnicity.findText(ethnicity, Qt.MatchFlag.MatchFixedString)
        self.ethnicity.setCurrentIndex(max(index, 0))
        if index < 0:
            self.ethnicity.setEditText(ethnicity)
        self.nationality.setText(text("nationality"))
        self.address.setText(text("address"))
        self.occupation.setText(text("occupation"))
        self.needs_interpreter.setChecked(bool(snap.get("needs_interpreter")))
        self.language.setText(text("language"))
        self.legal_representative.setText(text("legal_representative"))
        self.contact_person.setText(text("contact_person"))
        self.representative.setChecked(bool(snap.get("representative")))

    def show_errors(self, errors: Mapping[str, str]) -> list[QWidget]:
        """Show each message beside its field; the fields, and messages with no field here."""
        shown: list[QWidget] = []
        for name, message in errors.items():
            field = name
            if name == "id_number" and self.is_organisation():
                field = "org_code"
            if field not in self.fields:  # role, kind: said beside the name
                field = "name"
            shown.append(self.fields.set_error(field, message))
        return shown

    def clear_errors(self) -> None:
        self.fields.clear()

    def error_text(self, name: str) -> str:
        return self.fields.error_label(name).text()
