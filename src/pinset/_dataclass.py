"""``dataclass``: the standard library's decorator, cheaper to apply to a frozen class.

Up to CPython 3.12, ``@dataclass(frozen=True)`` compiles six methods from six generated sources
for every class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``): about 3.5 million instructions a class, which made class creation about a
third of a warm install (some 120 frozen classes are created at import). Here the standard
library still reads the fields (so ``fields()``, ``replace()``, ``asdict()``, ``__match_args__``
and ``__slots__`` are its own) but generates nothing; ``__init__``, ``__eq__`` and ``__hash__``,
which run often, are compiled from one source, and ``__repr__``, ``__setattr__`` and
``__delattr__`` are closures over the fields, made without compiling anything. A class with
anything else (not frozen, ``order``, ``kw_only``, ``InitVar``/``ClassVar`` fields,
``field(init=False)``, a dataclass base, a method of its own among those above) gets the
standard decorator unchanged. Type checkers see the standard decorator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["dataclass"]

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    import dataclasses
    import reprlib

    _OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    _STATE = ("__getstate__", "__setstate__")
    _SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")

    def dataclass(cls=None, /, **options):
        """``dataclasses.dataclass``, with a frozen class's methods compiled from one source,
        three of them only."""

        def wrap(klass):
            if _plain_frozen(klass, options):
                return _frozen(klass, slots=options.get("slots", False))
            return dataclasses.dataclass(klass, **options)

        return wrap if cls is None else wrap(cls)

    def _plain_frozen(cls, options):
        if options.get("frozen") is not True or not set(options) <= {"frozen", "slots"}:
            return False
        own = cls.__dict__
        if any(name in own for name in (*_OWN, *_STATE)):
            return False
        if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
            return False
        annotations = own.get("__annotations__")
        if not isinstance(annotations, dict) or "self" in annotations:
            return False
        if not all(
            isinstance(a, str) and not any(s in a for s in _SPECIAL) for a in annotations.values()
        ):
            return False
        specs = [own.get(name, dataclasses.MISSING) for name in annotations]
        return all(_plain_field(spec) for spec in specs) and _defaults_last(specs)

    def _plain_field(spec):
        if not isinstance(spec, dataclasses.Field):
            return True
        return spec.init and spec.kw_only in (dataclasses.MISSING, False)

    def _defaults_last(specs):
        seen_default = False
        for spec in specs:
            has = spec is not dataclasses.MISSING and not (
                isinstance(spec, dataclasses.Field)
                and spec.default is dataclasses.MISSING
                and spec.default_factory is dataclasses.MISSING
            )
            if seen_default and not has:
                return False  # the standard decorator raises its own TypeError
            seen_default = seen_default or has
        return True

    def _frozen(cls, *, slots):
        documented = bool(cls.__dict__.get("__doc__"))
        if not documented:
            cls.__doc__ = "-"  # the standard library would compute it before __init__ exists
        made = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
        fields = dataclasses.fields(made)
        for name, method in _methods(made, fields, slots).items():
            setattr(made, name, method)
        params = made.__dataclass_params__
        params.init = params.repr = params.eq = params.frozen = True
        if not documented:
            import inspect

            made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
        return made

    def _compiled(cls, fields):
        """``__init__`` (``object.__setattr__`` of each field, then ``__post_init__`` when the
        class has one), ``__eq__`` and ``__hash__``, from one compiled source: the three that
        run often, as fast as the standard library's."""
        scope = {"__name__": cls.__module__, "__pinset_set": object.__setattr__}
        scope["__pinset_factory"] = _FACTORY
        params, body = [], []
        for field in fields:
            param, value = _parameter(field, scope)
            params.append(param)
            body.append(f"    __pinset_set(self, {field.name!r}, {value})")
        if hasattr(cls, "__post_init__"):
            body.append("    self.__post_init__()")
        compared = [f.name for f in fields if f.compare]
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        source = "\n".join(
            [
                f"def __init__({', '.join(['self', *params])}):",
                *(body or ["    pass"]),
                "def __eq__(self, other):",
                "    if other.__class__ is self.__class__:",
                f"        return {_tuple('self', compared)} == {_tuple('other', compared)}",
                "    return NotImplemented",
                "def __hash__(self):",
                f"    return hash({_tuple('self', hashed)})",
            ]
        )
        exec(source, scope)  # the source is made of the class's field names only
        made = {name: scope[name] for name in ("__init__", "__eq__", "__hash__")}
        made["__init__"].__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
        return made

    def _parameter(field, scope):
        """``field``'s parameter of ``__init__`` and the value it sets (defaults in ``scope``)."""
        name = field.name
        if field.default_factory is not dataclasses.MISSING:
            scope[f"__pinset_make_{name}"] = field.default_factory
            return f"{name}=__pinset_factory", (
                f"__pinset_make_{name}() if {name} is __pinset_factory else {name}"
            )
        if field.default is not dataclasses.MISSING:
            scope[f"__pinset_default_{name}"] = field.default
            return f"{name}=__pinset_default_{name}", name
        return name, name

    def _tuple(owner, names):
        """The source of a tuple of ``owner``'s attributes ``names``."""
        return "(" + "".join(f"{owner}.{name}," for name in names) + ")"

    class _Factory:
        def __repr__(self):
            return "<factory>"

    _FACTORY = _Factory()

    def _methods(cls, fields, slots):
        names = tuple(f.name for f in fields)
        made = {**_compiled(cls, fields), "__repr__": _repr(fields), **_refusals(cls, names)}
        if slots:  # pickling and copying set the slots back without __setattr__
            made.update(_slot_state(names))
        for name, method in made.items():
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        return made

    def _repr(fields):
        """``__repr__`` as the standard one (not compiled: it is rarely called)."""
        shown = tuple(f.name for f in fields if f.repr)

        @reprlib.recursive_repr()
        def __repr__(self):
            inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({inner})"

        return __repr__

    def _refusals(cls, names):
        """``__setattr__`` and ``__delattr__`` of a frozen class, as the standard ones."""

        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in names:
                raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        return {"__setattr__": __setattr__, "__delattr__": __delattr__}

    def _slot_state(names):
        def __getstate__(self):
            return [getattr(self, name) for name in names]

        def __setstate__(self, state):
            for name, value in zip(names, state, strict=True):
                object.__setattr__(self, name, value)

        return {"__getstate__": __getstate__, "__setstate__": __setstate__}
