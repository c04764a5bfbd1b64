"""``pinset._dataclass.dataclass`` behaves as the standard decorator, and for a plain frozen class
of up to eight fields compiles nothing (``__init__`` is a template with the class's names, the
other methods share one code object across classes)."""

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


def test_nothing_is_compiled_for_a_plain_frozen_class_of_up_to_eight_fields() -> None:
    first, _ = pair(frozen=True)
    second, _ = pair(frozen=True, slots=True)
    for name in ("__repr__", "__setattr__", "__delattr__", "__eq__", "__hash__"):
        ours = inspect.unwrap(getattr(first, name))
        again = inspect.unwrap(getattr(second, name))
        assert ours.__code__ is again.__code__, name  # one code object: nothing compiled
    # __init__: one template's bytecode, with each class's own parameter and attribute names
    assert first.__init__.__code__.co_code == second.__init__.__code__.co_code
    assert first.__init__.__code__.co_varnames[:6] == (
        "self",
        "name",
        "version",
        "tags",
        "note",
        "size",
    )


def wide(size: int, decorator: Any) -> type[Any]:
    """A class of ``size`` fields ``f0``… (the last two with a default and a default factory)
    whose ``__post_init__`` records what it saw, under ``decorator``."""
    names = [f"f{i}" for i in range(size)]
    namespace: dict[str, Any] = {"__annotations__": dict.fromkeys(names, "int")}
    namespace[names[-1]] = dataclasses.field(default_factory=lambda: [size], hash=False)
    if size > 1:
        namespace[names[-2]] = -1

    def __post_init__(self: Any) -> None:
        object.__setattr__(self, "seen", getattr(self, names[-1]))

    namespace["__post_init__"] = __post_init__
    made: type[Any] = decorator(frozen=True, slots=False)(type("Wide", (), namespace))
    return made


@pytest.mark.parametrize("size", [1, 2, 8, 9, 20])
def test_every_width_behaves_as_the_standard_one(size: int) -> None:
    ours, theirs = wide(size, dataclass), wide(size, dataclasses.dataclass)
    required = list(range(size - 2)) if size > 1 else []
    a, b = ours(*required), theirs(*required)
    assert repr(a) == repr(b)
    assert a.seen == b.seen == [size]  # the factory ran before __post_init__
    assert a.seen is not ours(*required).seen
    assert a == ours(*required)
    assert hash(a) == hash(ours(*required))
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours.__init__.__qualname__ == "Wide.__init__"
    full = [*range(size - 1), ["given"]] if size > 1 else [["given"]]
    assert ours(*full).seen == theirs(*full).seen == ["given"]
    with pytest.raises(TypeError) as ours_error:
        ours(*full, 0)
    with pytest.raises(TypeError) as their_error:
        theirs(*full, 0)
    assert str(ours_error.value).split("() ")[1] == str(their_error.value).split("() ")[1]
    if size > 2:
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'f0'"):
            ours(f1=1, **{f"f{i}": i for i in range(2, size - 2)})


def test_equality_and_hash_of_one_field_are_the_standard_ones() -> None:
    @dataclass(frozen=True)
    class One:
        value: float

    @dataclasses.dataclass(frozen=True)
    class Standard:
        value: float

    nan = float("nan")
    assert (One(nan) == One(nan)) is (Standard(nan) == Standard(nan)) is True  # one object
    assert (One(float("nan")) == One(float("nan"))) is False
    assert hash(One(1.5)) == hash(Standard(1.5))  # both hash the 1-tuple of the field
    assert One(1.0) == One(1)
    assert hash(One(1.0)) == hash(One(1))


@pytest.mark.parametrize(
    "options", [{"frozen": True, "order": True}, {"frozen": True, "kw_only": True}, {"eq": False}]
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


def test_a_class_without_fields_is_a_plain_frozen_one() -> None:
    @dataclass(frozen=True, slots=True)
    class Marker:
        """A kind without fields."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Standard:
        """A kind without fields."""

    assert Marker() == Marker()
    assert hash(Marker()) == hash(Marker())
    assert repr(Marker()).endswith("Marker()")
    assert Marker.__setattr__.__code__ is Pinned.__setattr__.__code__  # pinset's, not compiled
    assert dataclasses.fields(Marker) == ()
    assert Marker.__match_args__ == Standard.__match_args__ == ()
    assert not hasattr(Marker(), "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Marker().other = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Marker(1)  # type: ignore[call-arg]
    match Marker():
        case Marker():
            pass
        case _:
            pytest.fail("a class pattern matches its instance")


@pytest.mark.parametrize("slots", [False, True])
def test_a_class_that_is_not_frozen_behaves_as_the_standard_one(slots: bool) -> None:
    ours, theirs = pair(slots=slots)
    a, b = ours("x", (1, 2)), theirs("x", (1, 2))
    assert repr(a) == repr(b)
    assert a == ours("x", (1, 2), note="ignored in comparisons")
    assert a != b
    assert ours.__hash__ is None
    assert theirs.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)
    a.name = "y"
    assert a == ours("y", (1, 2))
    del a.size, b.size
    assert hasattr(a, "size") is hasattr(b, "size")  # the class's default, unless slotted
    assert hasattr(a, "__dict__") is hasattr(b, "__dict__")
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours.__doc__ == theirs.__doc__
    assert repr(ours.__dataclass_params__) == repr(theirs.__dataclass_params__)
    assert inspect.unwrap(ours.__repr__).__code__ is inspect.unwrap(Pinned.__repr__).__code__
    again = copy.deepcopy(ours("x", (1,)))
    assert again == ours("x", (1,))
    assert type(again) is ours


@dataclass(slots=True)
class MutablePin:
    name: str
    extras: frozenset[str] = frozenset()


def test_a_mutable_slotted_record_pickles() -> None:
    pin = MutablePin("flask", frozenset({"async"}))
    again = pickle.loads(pickle.dumps(pin))
    assert again == pin
    assert type(again) is MutablePin


def test_a_class_whose_base_changes_setattr_gets_the_standard_decorator() -> None:
    seen: list[str] = []

    class Watched:
        def __setattr__(self, name: str, value: Any) -> None:
            seen.append(name)
            object.__setattr__(self, name, value)

    @dataclass
    class Point(Watched):
        x: int
        y: int = 0

    assert Point(1).x == 1
    assert seen == ["x", "y"]  # the standard __init__ assigns through the base's __setattr__


def test_the_standard_view_is_made_only_when_asked_and_matches_the_standard_one() -> None:
    from pinset import _dataclass

    for slots in (False, True):
        ours, theirs = pair(frozen=True, slots=slots)
        assert type(ours.__dict__["__dataclass_fields__"]).__name__ == "_StandardView"
        assert [f.name for f in _dataclass.fields(ours)] == [
            "name",
            "version",
            "tags",
            "note",
            "size",
        ]
        assert type(ours.__dict__["__dataclass_fields__"]).__name__ == "_StandardView"  # still
        assert dataclasses.is_dataclass(ours)
        mine, standard = ours.__dataclass_fields__, theirs.__dataclass_fields__
        assert isinstance(ours.__dict__["__dataclass_fields__"], dict)  # made once, then kept
        assert list(mine) == list(standard)
        for name in standard:
            a, b = mine[name], standard[name]
            assert (a.type, a.default, a.default_factory, a.repr, a.hash, a.compare) == (
                b.type,
                b.default,
                b.default_factory,
                b.repr,
                b.hash,
                b.compare,
            )
        params = vars(ours)["__dataclass_params__"]  # the standard view, now made
        assert params.frozen
        assert params.eq
        assert vars(ours)["__match_args__"] == vars(theirs)["__match_args__"]


def test_replace_and_fields_answer_for_both_kinds_of_class() -> None:
    from pinset._dataclass import fields, replace

    ours, theirs = pair(frozen=True, slots=True)
    a, b = ours("x", (1,)), theirs("x", (1,))
    assert replace(a, size=4) == ours("x", (1,), size=4)
    assert replace(b, size=4) == theirs("x", (1,), size=4)
    assert [f.name for f in fields(a)] == [f.name for f in fields(b)]
    with pytest.raises(TypeError):
        replace(a, colour="red")


def test_pinset_field_specifications_read_as_the_standard_ones() -> None:
    from pinset._dataclass import field

    def body() -> type[Any]:
        class Spec:
            items: list[int] = field(default_factory=list)
            label: str = field(default="a", compare=False)

        return Spec

    ours = dataclass(frozen=False)(body())
    assert ours() == ours(label="b")  # label is not compared
    assert ours().items == []
    assert ours().items is not ours().items
    assert repr(ours()).endswith("Spec(items=[], label='a')")
    assert ours.label == "a"  # as the standard decorator: a default stays a class attribute
    assert not hasattr(ours, "items")  # and a factory's field is none

    standard_specs, theirs = pair(frozen=False)  # the standard field() under pinset's decorator
    for name in ("tags", "note", "size"):
        assert hasattr(standard_specs, name) == hasattr(theirs, name), name
        assert getattr(standard_specs, name, None) == getattr(theirs, name, None), name

    ordered = dataclass(order=True)(body())  # the standard decorator, given pinset's fields
    assert ordered(items=[1]) < ordered(items=[2])
    assert ordered().items == []


def test_a_mutable_default_is_refused_as_the_standard_decorator_does() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @dataclass(frozen=True)
        class Bad:
            items: list[int] = []  # noqa: RUF012


def test_keyword_only_fields_an_own_repr_and_a_generic_base_behave_as_the_standard_ones() -> None:
    from typing import Generic, TypeVar

    T = TypeVar("T")

    def body() -> type[Any]:
        class Keyed(Generic[T]):
            name: str
            size: int = 0
            kind: str = dataclasses.field(kw_only=True)
            note: str = dataclasses.field(default="-", kw_only=True)

            def __repr__(self) -> str:
                return f"<{self.name}>"

        return Keyed

    for slots in (False, True):
        ours = dataclass(frozen=True, slots=slots)(body())
        theirs = dataclasses.dataclass(frozen=True, slots=slots)(body())
        assert "__pinset_fields__" in ours.__dict__  # made here, not by the standard one
        assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
        a, b = ours("x", kind="k"), theirs("x", kind="k")
        assert (a.name, a.size, a.kind, a.note) == (b.name, b.size, b.kind, b.note)
        assert repr(a) == repr(b) == "<x>"
        assert a == ours("x", 0, kind="k", note="-")
        assert ours.__match_args__ == theirs.__match_args__ == ("name", "size")
        for make in (ours, theirs):
            with pytest.raises(TypeError):
                make("x", 1, "k")  # kind is keyword-only
            with pytest.raises(TypeError):
                make("x")  # and required


def test_the_init_templates_are_what_the_source_maker_compiles() -> None:
    """The templates kept as source (bytecode cached, not compiled at start) are exactly the
    ``__init__`` that ``_init_source`` makes for a class of each width."""
    from pinset import _dataclass, _dataclass_inits

    for count in range(9):
        for after in (False, True):
            params = [f"__pinset_{i}" for i in range(count)]
            source = _dataclass._init_source(params, after)  # type: ignore[attr-defined]
            module = compile(source, "<string>", "exec")
            made = next(c for c in module.co_consts if isinstance(c, type(module)))
            kept = getattr(_dataclass_inits, f"init_{count}{'_after' if after else ''}").__code__
            assert (kept.co_code, kept.co_varnames, kept.co_consts, kept.co_names) == (
                made.co_code,
                made.co_varnames,
                made.co_consts,
                made.co_names,
            )
            assert kept.co_argcount == made.co_argcount == count + 1
