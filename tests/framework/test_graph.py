from __future__ import annotations

import pytest

from ibis_models import model
from ibis_models.framework.errors import ModelDefinitionError, SelectionError, UnknownModelError
from ibis_models.framework.graph import ModelGraph
from ibis_models.framework.project import load_models


def _spec(name: str, *deps: str, system: str = "A", tags: tuple[str, ...] = ()):
    def fn(**kwargs):  # pragma: no cover - never called
        raise AssertionError

    code = f"def {name}({', '.join(deps)}):\n    'doc'\n    return None\n"
    namespace: dict = {}
    exec(code, namespace)  # a function with exactly these parameter names
    return model(system=system, grain="g", key=["x_id"], columns={"x_id": "key"}, tags=tags)(namespace[name]).__ibis_model__


@pytest.fixture
def graph() -> ModelGraph:
    return ModelGraph.build(
        [
            _spec("stg_a__one", system="staging"),
            _spec("stg_a__two", system="staging"),
            _spec("int_mid", "stg_a__one", "stg_a__two", tags=("finance",)),
            _spec("int_top", "int_mid", system="B"),
            _spec("int_side", "stg_a__two", system="B"),
        ]
    )


def test_graph_orders_by_level_then_name(graph):
    assert graph.order == ("stg_a__one", "stg_a__two", "int_mid", "int_side", "int_top")
    assert graph.level("int_top") == 2


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        pytest.param(["int_mid"], {"int_mid"}, id="name"),
        pytest.param(["+int_mid"], {"int_mid", "stg_a__one", "stg_a__two"}, id="ancestors"),
        pytest.param(["stg_a__two+"], {"stg_a__two", "int_mid", "int_top", "int_side"}, id="descendants"),
        pytest.param(["+int_mid+"], {"int_mid", "stg_a__one", "stg_a__two", "int_top"}, id="both"),
        pytest.param(["system:B"], {"int_top", "int_side"}, id="system"),
        pytest.param(["tag:finance"], {"int_mid"}, id="tag"),
        pytest.param(["stg_*"], {"stg_a__one", "stg_a__two"}, id="glob"),
        pytest.param(["int_top", "int_side"], {"int_top", "int_side"}, id="union"),
        pytest.param([], {"stg_a__one", "stg_a__two", "int_mid", "int_top", "int_side"}, id="all"),
    ],
)
def test_select_syntax(graph, terms, expected):
    assert set(graph.select(terms)) == expected


def test_select_exclude_removes_models(graph):
    assert graph.select(["stg_a__two+"], exclude=["system:B"]) == ("stg_a__two", "int_mid")


def test_select_unknown_name_suggests_close_match(graph):
    with pytest.raises(UnknownModelError, match="did you mean 'int_mid'"):
        graph.select(["int_mdi"])


def test_select_unknown_system_lists_known_ones(graph):
    with pytest.raises(SelectionError, match="known: A, B, staging"):
        graph.select(["system:Z"])


def test_unknown_dependency_names_model_and_parameter():
    with pytest.raises(ModelDefinitionError, match="model 'int_x'.*parameter 'int_mdi'.*did you mean 'int_mid'"):
        ModelGraph.build([_spec("int_mid"), _spec("int_x", "int_mdi")])


def test_cycle_is_printed():
    with pytest.raises(
        ModelDefinitionError, match=r"dependency cycle \(each model reads the next\): int_a -> int_c -> int_b -> int_a"
    ):
        ModelGraph.build([_spec("int_a", "int_c"), _spec("int_b", "int_a"), _spec("int_c", "int_b")])


def test_duplicate_name_names_both_modules():
    first = _spec("int_a")
    with pytest.raises(ModelDefinitionError, match="defined twice"):
        ModelGraph.build([first, first])


def test_load_models_finds_decorated_functions_only():
    names = {s.name for s in load_models("tests.framework.resources.toy")}
    assert names == {"stg_shop__orders", "stg_shop__customers", "int_customer_totals", "int_channel_orders"}


def test_model_rejects_unknown_system_and_undocumented_key():
    def int_x():
        return None

    with pytest.raises(ModelDefinitionError, match="unknown system 'Q'"):
        model(system="Q", grain="g", key=["x_id"], columns={"x_id": "k"})(int_x)
    with pytest.raises(ModelDefinitionError, match=r"key column\(s\) \['y_id'\]"):
        model(system="A", grain="g", key=["y_id"], columns={"x_id": "k"})(int_x)
