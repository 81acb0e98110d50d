"""Process definitions: models, loading and validation. Imports nothing of the UI."""

from procedo.model.definition import (
    Decision,
    End,
    Input,
    Item,
    Node,
    NodeKind,
    Option,
    Parallel,
    ProcessDefinition,
    ProcessInfo,
    Step,
    Trigger,
)
from procedo.model.loader import (
    Catalog,
    LoadedProcess,
    content_hash,
    definition_files,
    load_catalog,
    load_file,
    parse_definition,
)
from procedo.model.problems import DefinitionError, Problem, is_valid_id

__all__ = [
    "Catalog",
    "Decision",
    "DefinitionError",
    "End",
    "Input",
    "Item",
    "LoadedProcess",
    "Node",
    "NodeKind",
    "Option",
    "Parallel",
    "Problem",
    "ProcessDefinition",
    "ProcessInfo",
    "Step",
    "Trigger",
    "content_hash",
    "definition_files",
    "is_valid_id",
    "load_catalog",
    "load_file",
    "parse_definition",
]
