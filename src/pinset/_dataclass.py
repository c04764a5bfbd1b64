"""``dataclass``: the standard library's decorator, cheaper to apply to a plain class.

Up to CPython 3.12, ``@dataclass(frozen=True)`` compiles six methods from six generated sources
for every class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``): about 3.5 million instructions a class, which made class creation about a
third of a warm install (some 120 frozen classes are created at import). Here the standard
library still reads the fields (so ``fields()``, ``replace()``, ``asdict()``, ``__match_args__``
and ``__slots__`` are its own) but generates nothing, and nothing is compiled per class:
``__init__`` (which runs often, so it is plain bytecode as the standard one) is a template
compiled once at import for each number of fields up to eight, its code copied with the
class's parameter and attribute names (a wider class compiles its own); ``__eq__`` and
``__hash__`` compare and hash the tuple of the fields' values read by ``operator.attrgetter``;
``__repr__``, ``__setattr__`` and ``__delattr__`` are closures over the fields. A class that is
not frozen gets the same ``__init__``, ``__eq__`` and ``__repr__`` and ``__hash__ = None``, as
the standard one (when nothing in it or its bases changes ``__setattr__``). A class with
anything else (``order``, ``kw_only``, ``InitVar``/``ClassVar`` fields, ``field(init=False)``,
a dataclass base, a method of its own among those above) gets the standard decorator
unchanged. Type checkers see the standard decorator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["dataclass"]

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    import dataclasses
    import operator
    import reprlib
    import types

    _OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    _STATE = ("__getstate__", "__setstate__")
    _SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")

    def dataclass(cls=None, /, **options):
        """``dataclasses.dataclass``, with a plain class's methods made without compiling."""

        def wrap(klass):
            if _plain(klass, options):
                frozen = options.get("frozen", False)
                return _made(klass, slots=options.get("slots", False), frozen=frozen)
            return dataclasses.dataclass(klass, **options)

        return wrap if cls is None else wrap(cls)

    def _plain(cls, options):
        frozen = options.get("frozen", False)
        if frozen not in (True, False) or not set(options) <= {"frozen", "slots"}:
            return False
        if not frozen and cls.__setattr__ is not object.__setattr__:
            return False  # the standard __init__ assigns through it
        own = cls.__dict__
        if any(name in own for name in (*_OWN, *_STATE)):
            return False
        if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
            return False
        annotations = own.get("__annotations__", {})  # none: a class without fields
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

    def _made(cls, *, slots, frozen):
        documented = bool(cls.__dict__.get("__doc__"))
        if not documented:
            cls.__doc__ = "-"  # the standard library would compute it before __init__ exists
        made = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
        fields = dataclasses.fields(made)
        for name, method in _methods(made, fields, slots, frozen).items():
            setattr(made, name, method)
        if not frozen:
            made.__hash__ = None  # equal by value, mutable: unhashable, as the standard one
        params = made.__dataclass_params__
        params.init = params.repr = params.eq = True
        params.frozen = frozen
        if not documented:
            made.__doc__ = made.__name__ + _signature(fields)
        return made

    def _signature(fields):
        """``__init__``'s signature as ``inspect`` shows it (the standard decorator's
        ``__doc__``), from the fields: every annotation is a string here."""
        params = []
        for field in fields:
            default = _default(field)
            shown = "" if default is dataclasses.MISSING else f" = {default!r}"
            params.append(f"{field.name}: {field.type!r}{shown}")
        return "(" + ", ".join(params) + ")"

    _TEMPLATE_LIMIT = 8
    """Classes of up to this many fields get an ``__init__`` made from a template compiled
    once, with the parameter names and the attribute names changed (nothing compiled per
    class); a larger class compiles its own."""

    def _init_source(params, after):
        """The source of an ``__init__`` setting the fields ``params``."""
        body = [f"    __pinset_set(self, {p!r}, {p})" for p in params]
        if after:
            body.append("    __pinset_after(self)")
        return f"def __init__({', '.join(['self', *params])}):\n" + "\n".join(body or ["    pass"])

    def _templates():
        """The ``__init__`` codes by field count, each without and with the after hook
        (default factories, ``__post_init__``): compiled from one source, at import."""
        sources = [
            _init_source([f"__pinset_{i}" for i in range(count)], after)
            for count in range(_TEMPLATE_LIMIT + 1)
            for after in (False, True)
        ]
        module = compile("\n".join(sources), "<string>", "exec")
        codes = [c for c in module.co_consts if isinstance(c, types.CodeType)]
        return tuple(zip(codes[0::2], codes[1::2], strict=True))

    _TEMPLATES = _templates()

    def _init(cls, fields):
        """``__init__``: ``object.__setattr__`` of each field, then (when the class needs it)
        the after hook: each default factory called for a field left to it, then
        ``__post_init__``."""
        names = tuple(f.name for f in fields)
        defaults = tuple(d for d in map(_default, fields) if d is not dataclasses.MISSING)
        after = _after(cls, fields)
        scope = {"__name__": cls.__module__, "__pinset_set": object.__setattr__}
        if after is not None:
            scope["__pinset_after"] = after
        if len(names) <= _TEMPLATE_LIMIT:
            code = _TEMPLATES[len(names)][after is not None]
            renamed = dict(zip(code.co_varnames[1 : len(names) + 1], names, strict=True))
            code = code.replace(
                co_varnames=tuple(renamed.get(v, v) for v in code.co_varnames),
                co_consts=tuple(
                    renamed.get(c, c) if isinstance(c, str) else c for c in code.co_consts
                ),
            )
        else:
            code = _compiled_init(names, after is not None)
        init = types.FunctionType(code, scope, "__init__", defaults or None)
        init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
        return init

    def _compiled_init(names, after):
        """The code of a large class's ``__init__``, compiled from its field names."""
        module = compile(_init_source(names, after), "<string>", "exec")  # of field names only
        return next(c for c in module.co_consts if isinstance(c, types.CodeType))

    def _default(field):
        if field.default_factory is not dataclasses.MISSING:
            return _FACTORY
        return field.default

    def _after(cls, fields):
        """What ``__init__`` does after setting the fields, or None when there is nothing."""
        made = tuple(
            (f.name, f.default_factory)
            for f in fields
            if f.default_factory is not dataclasses.MISSING
        )
        post_init = hasattr(cls, "__post_init__")
        if not made and not post_init:
            return None

        def after(self):
            for name, factory in made:
                if getattr(self, name) is _FACTORY:
                    object.__setattr__(self, name, factory())
            if post_init:
                self.__post_init__()

        return after

    def _comparison(fields):
        """``__eq__`` and ``__hash__`` over the compared and the hashed fields' values, as
        tuples (as the standard ones), read by ``operator.attrgetter``: nothing compiled."""
        compared = _values([f.name for f in fields if f.compare])
        hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return compared(self) == compared(other)
            return NotImplemented

        def __hash__(self):
            return hash(hashed(self))

        return {"__eq__": __eq__, "__hash__": __hash__}

    def _values(names):
        """A function of an instance: the tuple of its attributes ``names``."""
        if len(names) >= 2:
            return operator.attrgetter(*names)
        if names:
            one = operator.attrgetter(names[0])
            return lambda obj: (one(obj),)
        return lambda obj: ()

    class _Factory:
        def __repr__(self):
            return "<factory>"

    _FACTORY = _Factory()

    def _methods(cls, fields, slots, frozen):
        names = tuple(f.name for f in fields)
        made = {"__init__": _init(cls, fields), **_comparison(fields), "__repr__": _repr(fields)}
        if not frozen:
            del made["__hash__"]
            return _named(cls, made)
        made.update(_refusals(cls, names))
        if slots:  # pickling and copying set the slots back without __setattr__
            made.update(_slot_state(names))
        return _named(cls, made)

    def _named(cls, made):
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
