"""Start: who runs it, what triggered it, its start inputs, and what to have at hand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from procedo.engine import Refused
from procedo.engine.cleaning import clean_name
from procedo.model import LoadedProcess
from procedo.safe_text import visible
from procedo.tui.start_request import StartRequest, input_problems
from procedo.tui.text import duration, editable, line, lit
from procedo.tui.widgets.bounded import BoundedInput, name_input
from procedo.tui.widgets.checklist import record_hint

INPUT_PREFIX = "input-"
"""A start input's field is ``#input-<id>``, its error line ``#input-<id>-error``."""


class StartScreen(ModalScreen[StartRequest | None]):
    """Ask for the operator and the trigger; dismisses with the run to start (None: cancel)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="start.cancel"),
        Binding("ctrl+s", "start", "Start", id="start.start"),
    ]

    def __init__(
        self,
        loaded: LoadedProcess,
        operator: str,
        *,
        practice: bool = False,
        trigger: str | None = None,
        inputs: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.operator = operator
        self.practice = practice
        self.trigger = trigger
        self.inputs = dict(inputs or {})
        """The start inputs given before (``--set``): they prefill the fields."""

    def compose(self) -> ComposeResult:
        d = self.loaded.definition
        with VerticalScroll(classes="dialog", id="start-dialog"):
            yield Static(line(("Start: ", "dim"), (d.title, "bold")), classes="dialog-title")
            if d.process.summary:
                yield Static(lit(d.process.summary), classes="dialog-hint")
            yield Static(lit("Operator"), classes="field-label")
            yield name_input(
                editable(self.operator),
                what="operator name",
                placeholder="Your name",
                id="operator",
                compact=True,
                select_on_focus=False,  # a key typed there adds to the name, never replaces it
            )
            yield Static(self._journaled_as(self.operator), id="journaled-as")
            if d.triggers:
                yield Static(lit("What started this run?"), classes="field-label")
                options = [
                    Option(lit(f"{n}. {t.title}"), id=t.id)
                    for n, t in enumerate(d.triggers, start=1)
                ]
                yield OptionList(*options, id="trigger", compact=True)
            yield from self._compose_inputs()
            if d.process.resources:
                parts: list[object] = [("Have at hand", "bold")]
                for resource in d.process.resources:
                    parts += ["\n  • ", resource]
                yield Static(line(*parts), id="resources")  # type: ignore[arg-type]
            if d.process.target_minutes:
                target = duration(int(d.process.target_minutes * 60_000))
                yield Static(line(("Target time ", "dim"), target), id="target")
            yield Checkbox(
                lit("Practice run (left out of the metrics)"),
                self.practice,
                id="practice",
                compact=True,
            )
            # Docked: at 80x24 the form scrolls, the error and the buttons stay in sight.
            with Vertical(id="start-actions"):
                yield Static("", id="dialog-error", classes="dialog-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(lit("Start (ctrl+s)"), id="start", variant="success", compact=True)
                    yield Button(lit("Cancel (esc)"), id="cancel", compact=True)

    def _compose_inputs(self) -> ComposeResult:
        """One field per start input: its title, what it takes, and its error line."""
        for key, spec in self.loaded.definition.inputs.items():
            yield Static(
                line(spec.title, (f"  ({record_hint(spec)})", "$text-muted")),
                classes="field-label",
            )
            if spec.details:
                yield Static(lit(spec.details), classes="dialog-hint")
            yield BoundedInput(
                editable(self.inputs.get(key, "")),
                what=key,
                placeholder=key,
                id=f"{INPUT_PREFIX}{key}",
                classes="start-input",
                compact=True,
            )
            yield Static("", id=f"{INPUT_PREFIX}{key}-error", classes="input-error")

    def typed_inputs(self) -> dict[str, str]:
        """What the start-input fields hold now, by input id."""
        return {
            key: self.query_one(f"#{INPUT_PREFIX}{key}", Input).value
            for key in self.loaded.definition.inputs
        }

    def _show_input_problems(
        self, only: str | None = None, *, blank_ok: bool = False
    ) -> dict[str, str]:
        """Show under each field (or only ``only``'s) why it cannot be taken (``blank_ok``:
        not yet for an empty field); return every problem."""
        problems = input_problems(self.loaded.definition, self.typed_inputs())
        for key in self.loaded.definition.inputs:
            if only is not None and key != only:
                continue
            error = self.query_one(f"#{INPUT_PREFIX}{key}-error", Static)
            blank = not self.query_one(f"#{INPUT_PREFIX}{key}", Input).value.strip()
            problem = "" if blank and blank_ok else problems.get(key, "")
            error.update(lit(problem[:1].upper() + problem[1:]))
            error.display = bool(problem)
        return problems

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        for error in self.query(".input-error"):
            error.display = False
        if self.inputs:  # given on the command line: say at once what does not fit
            self._show_input_problems(blank_ok=True)
        if self.loaded.definition.triggers:
            triggers = self.query_one("#trigger", OptionList)
            ids = [t.id for t in self.loaded.definition.triggers]
            triggers.highlighted = ids.index(self.trigger) if self.trigger in ids else 0
        self._first_focus().focus()

    def _first_focus(self) -> Widget:
        """Where typing starts: the operator's name while it is blank, then the first blank
        start input, then the triggers (a name already given is never under the cursor of
        the first key, which would type into it)."""
        operator = self.query_one("#operator", Input)
        if not operator.value.strip():
            return operator
        for key in self.loaded.definition.inputs:
            field = self.query_one(f"#{INPUT_PREFIX}{key}", Input)
            if not field.value.strip():
                return field
        if self.loaded.definition.triggers:
            return self.query_one("#trigger", OptionList)
        return operator

    @staticmethod
    def _journaled_as(value: str) -> Content:
        """Who the run will be journaled under, as the field reads now."""
        name = " ".join(value.split())
        if not name:
            return line(("Journaled as: ", "$text-muted"), ("nobody yet: type a name", "$error"))
        return line(("Journaled as: ", "$text-muted"), (visible(name), "bold"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "operator":
            self.query_one("#journaled-as", Static).update(self._journaled_as(event.value))
        elif event.input.id and event.input.id.startswith(INPUT_PREFIX):
            self._show_input_problems(event.input.id.removeprefix(INPUT_PREFIX), blank_ok=True)

    def _error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(lit(message))
        error.display = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = ["operator", *(f"{INPUT_PREFIX}{key}" for key in self.loaded.definition.inputs)]
        if event.input.id in fields[:-1]:  # on to the next field
            self.query_one(f"#{fields[fields.index(event.input.id) + 1]}", Input).focus()
        elif self.loaded.definition.triggers and len(self.loaded.definition.triggers) > 1:
            self.query_one("#trigger", OptionList).focus()
        else:
            self.action_start()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)

    def action_start(self) -> None:
        """Close with the run to start, as entered (the app starts it)."""
        try:
            operator = clean_name(self.query_one("#operator", Input).value)
        except Refused as error:
            self._error(str(error).capitalize() + ".")
            self.query_one("#operator", Input).focus()
            return
        trigger = None
        if self.loaded.definition.triggers:
            highlighted = self.query_one("#trigger", OptionList).highlighted_option
            if highlighted is None:
                self._error("Choose what started this run.")
                return
            trigger = highlighted.id
        problems = self._show_input_problems()
        if problems:
            key = next(iter(problems))
            title = self.loaded.definition.inputs[key].title
            self._error(f"{title}: {problems[key]}.")
            self.query_one(f"#{INPUT_PREFIX}{key}", Input).focus()
            return
        practice = self.query_one("#practice", Checkbox).value
        inputs = self.typed_inputs()
        self.dismiss(StartRequest(self.loaded.id, operator, trigger, practice, inputs))
