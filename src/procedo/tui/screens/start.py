"""Start: who runs it, what triggered it, and what to have at hand."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from procedo.engine import Refused
from procedo.engine.cleaning import clean_name
from procedo.model import LoadedProcess
from procedo.safe_text import visible
from procedo.tui.start_request import StartRequest
from procedo.tui.text import duration, editable, line, lit
from procedo.tui.widgets.bounded import name_input


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
        inputs: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.operator = operator
        self.practice = practice
        self.trigger = trigger
        self.given_inputs: dict[str, str] = dict(inputs or {})
        """The start inputs given before the screen opened (``--set``), raw text by id."""

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
            )
            yield Static(self._journaled_as(self.operator), id="journaled-as")
            if d.triggers:
                yield Static(lit("What started this run?"), classes="field-label")
                options = [
                    Option(lit(f"{n}. {t.title}"), id=t.id)
                    for n, t in enumerate(d.triggers, start=1)
                ]
                yield OptionList(*options, id="trigger", compact=True)
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

    def on_mount(self) -> None:
        self.query_one("#dialog-error").display = False
        if self.loaded.definition.triggers:
            triggers = self.query_one("#trigger", OptionList)
            ids = [t.id for t in self.loaded.definition.triggers]
            triggers.highlighted = ids.index(self.trigger) if self.trigger in ids else 0
        self.query_one("#operator", Input).focus()

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

    def _error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(lit(message))
        error.display = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.loaded.definition.triggers and len(self.loaded.definition.triggers) > 1:
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
        practice = self.query_one("#practice", Checkbox).value
        self.dismiss(
            StartRequest(self.loaded.id, operator, trigger, practice, dict(self.given_inputs))
        )
