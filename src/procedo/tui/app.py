"""The procedo app: navigation between screens, over one :class:`Workspace`.

Screens call the engine directly (method calls down) and the app only routes, by typed
methods: start a run, open a run, show a summary. ``make_app`` is the one factory used by the
CLI, the tests and the screenshot script: it builds the workspace first and hands it to the
app, so no screen ever sees an app without one (the terminal launch opens its journal and
catalog just after the first frame; ``workspace_ready`` says when).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from procedo.config import Paths
from procedo.settings import Settings, save_settings
from procedo.tui.commands import ProcedoCommands
from procedo.tui.start_request import StartRequest
from procedo.tui.text import shown

if TYPE_CHECKING:  # the domain is imported just after the first frame (see on_mount)
    from procedo.engine import Run, RunState
    from procedo.model import ProcessDefinition
    from procedo.workspace import Workspace


LATER_CSS = (
    "screens/dialogs.tcss",
    "screens/run.tcss",
    "screens/run_parallel.tcss",
    "screens/summary.tcss",
    "screens/records.tcss",
    "screens/board.tcss",
)
"""The CSS of every screen but home (their selectors never style the home's widgets)."""


def now_ms() -> int:
    """The wall clock in ms (the engine's, imported when first asked)."""
    from procedo.engine.events import now_ms as engine_now_ms

    return engine_now_ms()


class ProcedoApp(App[None]):
    """Walk processes step by step; every action is journaled before it shows."""

    TITLE = "procedo"
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    """What the home's first frame needs; the other screens' CSS (:data:`LATER_CSS`) is read
    just after it, before any of them can show (parsing it first cost ~8 ms of the start)."""
    COMMANDS = App.COMMANDS | {ProcedoCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        workspace: Workspace,
        *,
        start: StartRequest | None = None,
        resume: str | None = None,
        clock: Callable[[], int] = now_ms,
        board: bool = False,
        quiet: bool = False,
    ) -> None:
        super().__init__()
        self.quiet = quiet
        """No terminal bell for a reminder (``--quiet``): the notice only."""
        self.workspace = workspace
        self.paths: Paths = workspace.paths
        self.workspace_ready = False
        """Whether the journal is open and the catalog read (until then the home says it is
        loading)."""
        self._upgrade_said = False
        self.start_request = start
        self.resume_request = resume
        self.board_request = board
        self.clock = clock
        if workspace.is_open:
            workspace.journal.clock = clock
        self.settings_path = workspace.settings_path
        self.settings = Settings()
        self._settings_ready = False
        self._later_css_read = False

    def _read_later_css(self) -> None:
        """Add the other screens' CSS to the stylesheet (once; only the new files are
        parsed) and restyle what is up."""
        if self._later_css_read:
            return
        self._later_css_read = True
        folder = Path(__file__).parent
        paths = [folder / name for name in LATER_CSS]
        if self.css_monitor is not None:
            self.css_monitor.add_paths(paths)
        self.stylesheet.read_all(paths)
        self.stylesheet.update(self)

    def _load_settings(self) -> None:
        """Apply the remembered preferences (a broken file is ignored, with a notice)."""
        self.settings, notice = self.workspace.load_settings()
        if notice:
            self.notify(notice, title="Settings", severity="warning", markup=False)
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._settings_ready = True

    def remember(self, **values: object) -> None:
        """Change preferences and write them at once (a failure is said, never fatal)."""
        updated = self.settings.changed(**values)
        if updated == self.settings:
            return
        self.settings = updated
        try:
            save_settings(self.settings_path, updated)
        except OSError as error:
            self.notify(
                f"The settings could not be saved to {self.settings_path}: "
                f"{error.strerror or error}",
                title="Settings",
                severity="warning",
                markup=False,
            )

    def watch_theme(self, theme: str) -> None:
        if self._settings_ready:
            self.remember(theme=theme)

    def on_mount(self) -> None:
        """Show the home screen. A workspace not yet open (``make_app(defer_load=True)``, as
        the terminal launch does) is opened just after the home's first frame, which says it is
        loading: the domain's imports and the catalog cost more than Textual's start."""
        from procedo.tui.screens.home import HomeScreen

        self._load_settings()
        self._watch_terminal()
        if self.workspace.is_open:
            self._workspace_opened()
        else:  # a terminal: the home's first frame, then the journal and the catalog
            self.push_screen(HomeScreen())
            self.call_after_refresh(self._open_workspace)

    def _watch_terminal(self) -> None:
        """Quit (the open run left paused) once the terminal hangs up: see
        :mod:`procedo.tui.terminal_watch`. Not under a test's headless driver or in a browser."""
        if self.is_headless or self.is_web:
            return
        from procedo.tui.terminal_watch import CHECK_SECONDS, had_terminal, terminal_gone

        if not had_terminal():
            return

        async def check() -> None:
            if terminal_gone():
                await self.action_quit()

        self.set_interval(CHECK_SECONDS, check, name="terminal watch")

    def _open_workspace(self) -> None:
        """Open the journal and read the processes (after the first frame)."""
        from procedo.journal import JournalError
        from procedo.journal.schema import needs_upgrade
        from procedo.tui.screens.fatal import FatalScreen
        from procedo.tui.screens.home import UPGRADING, HomeScreen

        self._read_later_css()
        home = self.screen_stack[-1]
        if not self._upgrade_said and needs_upgrade(self.paths.db):
            self._upgrade_said = True  # say so, let it paint, then upgrade (it blocks a while)
            if isinstance(home, HomeScreen):
                home.say_loading(UPGRADING)
            self.call_after_refresh(self._open_workspace)
            return
        try:
            self.workspace.open()
        except JournalError as error:
            self.push_screen(FatalScreen(f"procedo cannot use its journal.\n\n{error}"))
            return
        self._workspace_opened()

    def _workspace_opened(self) -> None:
        """Show the open workspace on the home screen, then do what the command line asked
        (start or resume a run)."""
        from procedo.tui.screens.home import HomeScreen

        self._read_later_css()
        self.workspace.journal.clock = self.clock
        self.workspace_ready = True
        home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if isinstance(home, HomeScreen):
            home.show_workspace()
        else:
            self.push_screen(HomeScreen())  # it shows the workspace as it mounts
        if self.start_request is not None:
            self._handle_start_request(self.start_request)
        elif self.resume_request is not None:
            self.resume_run(self.resume_request)
        elif self.board_request:
            self.open_board()

    def _handle_start_request(self, request: StartRequest) -> None:
        """Start straight away when nothing is missing, else ask on the start screen."""
        from procedo.tui.start_flow import handle_start_request

        handle_start_request(self, request)

    def on_unmount(self) -> None:
        self.workspace.close()

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        """A toast; every screen's ``notify`` comes here, so no message (often an error that
        quotes a name or a value) can put an escape code on the terminal."""
        super().notify(shown(message), title=shown(title), **options)

    # -- navigation -----------------------------------------------------------------------

    def open_start(
        self,
        process_id: str,
        *,
        practice: bool = False,
        trigger: str | None = None,
        operator: str | None = None,
        inputs: dict[str, str] | None = None,
    ) -> None:
        """Ask for the operator, trigger and start inputs, then start a run
        (:mod:`procedo.tui.start_flow`)."""
        from procedo.tui.start_flow import open_start

        open_start(
            self, process_id, practice=practice, trigger=trigger, operator=operator, inputs=inputs
        )

    def start_run(
        self,
        process_id: str,
        operator: str,
        trigger: str | None,
        *,
        practice: bool = False,
        inputs: dict[str, str] | None = None,
    ) -> bool:
        """Start a run and show it; False (with a message) if it could not start."""
        from procedo.tui.start_flow import start_run

        return start_run(self, process_id, operator, trigger, practice=practice, inputs=inputs)

    def resume_run(self, run_id: str) -> None:
        """Open a run (read-only if another session drives it) and show it; asks who goes on
        when someone else is at the keyboard (:mod:`procedo.tui.resume_flow`)."""
        from procedo.tui.resume_flow import resume_run

        resume_run(self, run_id)

    def refuse_if_read_only(self, what: str) -> bool:
        """True (and say why) when the journal can only be read."""
        message = self.workspace.read_only_message
        if message:
            self.notify(f"{what}: {message}.", severity="warning", markup=False)
        return bool(message)

    def show_run(self, run: Run, *, read_only: bool, reason: str = "") -> None:
        """Show the run screen for ``run``."""
        from procedo.tui.screens.run import RunScreen

        if self.workspace.read_only_reason:
            from procedo.tui.screens.run_review import ReviewRunScreen

            self.push_screen(ReviewRunScreen(run, read_only=True, read_only_reason=reason))
            return
        self.push_screen(RunScreen(run, read_only=read_only, read_only_reason=reason))

    def show_summary(self, run: Run) -> None:
        """Show the end-of-run summary."""
        from procedo.tui.screens.summary import SummaryScreen

        self.push_screen(SummaryScreen(run))

    def open_history(self, process: str | None = None) -> None:
        """Show the history of runs (optionally of one process)."""
        from procedo.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(process))

    def open_run_detail(self, run_id: str) -> None:
        """Show one run's journal."""
        from procedo.tui.screens.run_detail import RunDetailScreen

        self.push_screen(RunDetailScreen(run_id))

    def open_metrics(self, process_id: str | None = None) -> None:
        """Show the completion figures of a process (or of all)."""
        from procedo.tui.screens.metrics import MetricsScreen

        self.push_screen(MetricsScreen(process_id))

    def open_board(self) -> None:
        """Show the live board of every run in progress."""
        from procedo.journal.step_figures import usual_at
        from procedo.tui.screens.board import BoardScreen

        self.push_screen(BoardScreen(usual=usual_at))

    def open_map(self, definition: ProcessDefinition, state: RunState | None = None) -> None:
        """Show the map of a process (with a run's place in it when ``state`` is given)."""
        from procedo.tui.screens.process_map import MapScreen

        self.push_screen(MapScreen(definition, state))

    def export_run(self, run_id: str) -> None:
        """Export a run's record: read it in a thread, ask for the format and a file, write it."""
        from procedo.journal.run_record import load_run_record
        from procedo.tui.querying import query_in_thread
        from procedo.tui.screens.run_detail import ask_export

        screen = self.screen
        query_in_thread(
            screen,
            lambda journal: load_run_record(journal, run_id),
            lambda record: ask_export(screen, record),
            group="export",
        )

    def go_home(self, *, show_run: str | None = None) -> None:
        """Pop back to the home screen and refresh it (with the cursor on ``show_run``); to
        the board instead, when the run was opened from it."""
        from procedo.tui.screens.board import BoardScreen
        from procedo.tui.screens.home import HomeScreen

        home = (HomeScreen, BoardScreen)
        while len(self.screen_stack) > 2 and not isinstance(self.screen, home):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_data()
            if show_run is not None:
                self.screen.show_run(show_run)

    # -- actions --------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from procedo.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Leave any open run paused and resumable, then quit."""
        from procedo.tui.screens.run import RunScreen

        for screen in self.screen_stack:
            if isinstance(screen, RunScreen):
                screen.leave_paused()
        self.exit()


def make_app(
    paths: Paths,
    *,
    start: StartRequest | None = None,
    resume: str | None = None,
    clock: Callable[[], int] = now_ms,
    defer_load: bool = False,
    board: bool = False,
    quiet: bool = False,
) -> ProcedoApp:
    """Build the workspace, then the app over it (the CLI, tests and screenshot script all
    call this). The workspace is opened here (:class:`JournalError` when the journal cannot
    be used), or with ``defer_load`` by the app just after its first frame (a failure then
    shows on a screen of its own). ``board``: open straight on the live board; ``quiet``: no
    bell for a reminder."""
    from procedo.workspace import Workspace

    workspace = Workspace(paths, eager=not defer_load)
    return ProcedoApp(workspace, start=start, resume=resume, clock=clock, board=board, quiet=quiet)


__all__ = ["ProcedoApp", "StartRequest", "make_app"]
