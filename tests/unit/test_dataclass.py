"""``pinset._dataclass.dataclass`` behaves as the standard decorator, and for a plain frozen class
compiles only ``__init__``, ``__eq__`` and ``__hash__`` (the other methods share one code object
across classes)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any, ClassVar

import pytest

from pinset._dataclass import dataclass


def pair(**options: Any) -> tuple[type[Any], type[Any]]:
    """The same class body under pinset's decorator and under the standard one."""

    def body() -> type[Any]:
        class Record:
            name: str
            version: tuple[int, ...]
            tags: list[str] = dataclasses.field(default_factory=list, hash=False)
            note: str = dataclasses.field(default="", repr=False, compare=False)
            size: int = 0

        return Record

    return dataclass(**options)(body()), dataclasses.dataclass(**options)(body())


@pytest.mark.parametrize("slots", [False, True])
def test_a_frozen_class_behaves_as_the_standard_one(slots: bool) -> None:
    ours, theirs = pair(frozen=True, slots=slots)
    a, b = ours("x", (1, 2)), theirs("x", (1, 2))
    assert repr(a) == repr(b)
    assert repr(a).endswith(".Record(name='x', version=(1, 2), tags=[], size=0)")
    assert a == ours("x", (1, 2), note="ignored in comparisons")
    assert a != ours("x", (1, 3))
    assert a != b  # another class: NotImplemented both ways, so unequal
    assert a.__eq__(b) is NotImplemented
    assert hash(a) == hash(ours("x", (1, 2), note="other"))
    assert hash(a) == hash(ours("x", (1, 2), tags=["not hashed"]))
    assert {ours("x", (1,)), ours("x", (1,))} == {ours("x", (1,))}
    assert ours("x", ()).tags is not ours("x", ()).tags  # a new list for each
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        a.name = "y"
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'size'"):
        del a.size
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.other = 1
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert dataclasses.replace(a, size=3) == ours("x", (1, 2), size=3)
    assert ours.__match_args__ == theirs.__match_args__
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours.__doc__ == theirs.__doc__
    assert ours.__dataclass_params__.frozen
    assert ours.__dataclass_params__.eq
    for again in (copy.copy(a), copy.deepcopy(a)):
        assert again == a
        assert type(again) is ours
    assert hasattr(a, "__dict__") is hasattr(b, "__dict__")
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        ours("x")


@dataclass(frozen=True)
class Pinned:
    name: str
    extras: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SlottedPin:
    name: str
    extras: frozenset[str] = frozenset()


@pytest.mark.parametrize("kind", [Pinned, SlottedPin])
def test_a_frozen_record_pickles_and_copies(kind: type[Pinned]) -> None:
    pin = kind("flask", frozenset({"async"}))
    for again in (pickle.loads(pickle.dumps(pin)), copy.copy(pin), copy.deepcopy(pin)):
        assert again == pin
        assert type(again) is kind
        assert again.extras == frozenset({"async"})


def test_a_subclass_that_is_no_dataclass_may_add_attributes_but_not_change_fields() -> None:
    ours, _ = pair(frozen=True)

    class Sub(ours):  # type: ignore[valid-type,misc]
        pass

    sub = Sub("x", ())
    sub.extra = 1
    assert sub.extra == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.name = "y"


def test_post_init_runs_and_may_set_derived_values() -> None:
    @dataclass(frozen=True)
    class Named:
        """A name and its normal form."""

        raw: str

        def __post_init__(self) -> None:
            object.__setattr__(self, "normal", self.raw.lower())

    assert Named("Flask").normal == "flask"  # type: ignore[attr-defined]
    assert Named.__doc__ == "A name and its normal form."


def test_only_init_eq_and_hash_are_compiled_for_each_plain_frozen_class() -> None:
    first, _ = pair(frozen=True)
    second, _ = pair(frozen=True, slots=True)
    for name in ("__repr__", "__setattr__", "__delattr__"):
        ours = inspect.unwrap(getattr(first, name))
        again = inspect.unwrap(getattr(second, name))
        assert ours.__code__ is again.__code__, name  # one code object: nothing compiled
    for name in ("__init__", "__eq__", "__hash__"):
        assert getattr(first, name).__code__ is not getattr(second, name).__code__, name


@pytest.mark.parametrize(
    "options", [{}, {"frozen": True, "order": True}, {"frozen": True, "kw_only": True}]
)
def test_anything_else_gets_the_standard_decorator(options: dict[str, Any]) -> None:
    ours, theirs = pair(**options)
    shared = inspect.unwrap(Pinned.__repr__).__code__
    assert inspect.unwrap(ours.__repr__).__code__ is not shared  # the standard library's
    assert repr(ours.__dataclass_params__) == repr(theirs.__dataclass_params__)


def test_classvar_fields_and_own_methods_get_the_standard_decorator() -> None:
    @dataclass(frozen=True)
    class Counted:
        limit: ClassVar[int] = 3
        value: int

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Counted(1)) == "<1>"
    assert [f.name for f in dataclasses.fields(Counted)] == ["value"]
    assert Counted.__setattr__.__code__ is not Pinned.__setattr__.__code__
