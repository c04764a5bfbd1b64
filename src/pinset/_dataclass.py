"""``dataclass``, ``field``, ``fields``, ``replace``: the standard ones, cheaper for plain classes.

Up to CPython 3.12, ``@dataclass(frozen=True)`` compiles six methods from six generated sources
for every class (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``), and even without them its class processing (reading each annotation for
``ClassVar``/``InitVar``, making the field objects, re-creating a class with slots) was about a
quarter of a warm install's imports: some 120 classes are created at import. Here a plain class
is made without the standard library: its fields are read from its annotations and class
attributes (``field()`` here is pinset's own specification, read the same way), a slotted class
is re-created with its ``__slots__``, and nothing is compiled per class: ``__init__`` (which runs
often, so it is plain bytecode as the standard one) is a template compiled once at import for
each number of fields up to eight, its code copied with the class's parameter and attribute
names (a wider class compiles its own); ``__eq__`` and ``__hash__`` compare and hash the tuple of
the fields' values read by ``operator.attrgetter``; ``__repr__``, ``__setattr__`` and
``__delattr__`` are closures over the fields. A class that is not frozen gets the same
``__init__``, ``__eq__`` and ``__repr__`` and ``__hash__ = None``, as the standard one (when
nothing in it or its bases changes ``__setattr__``).

The standard library's view of such a class (``__dataclass_fields__``, ``__dataclass_params__``,
which ``dataclasses.fields()``, ``replace()``, ``asdict()`` and ``is_dataclass()`` read) is made
when first asked for, by applying the standard decorator to a copy of the class body; ``fields``
and ``replace`` here answer from the class's own field list without it. A class with anything
else (``order``, ``kw_only``, ``InitVar``/``ClassVar`` fields, ``field(init=False)``, a dataclass
base, a base with ``__slots__``, a mutable default, abstract methods, a method of its own among
those above) gets the standard decorator unchanged. Type checkers see the standard library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["dataclass", "field", "fields", "replace"]

if TYPE_CHECKING:
    from dataclasses import dataclass, field, fields, replace
else:
    import operator
    import reprlib
    import sys
    import types

    _OWN = ("__init__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    """Methods a class made here may not define itself (its own ``__repr__`` is kept, as the
    standard decorator keeps it)."""
    _STATE = ("__getstate__", "__setstate__")
    _SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")
    _FIELDS = "__pinset_fields__"
    """The attribute holding a class's fields (a tuple of :class:`Field`) when made here."""

    class _Missing:
        __slots__ = ()

        def __repr__(self):
            return "MISSING"

    MISSING = _Missing()
    """No default (the standard library's ``MISSING`` is another object: converted where they
    meet, in :func:`_standard_spec`)."""

    _OPTIONS = (
        "default",
        "default_factory",
        "init",
        "repr",
        "hash",
        "compare",
        "metadata",
        "kw_only",
    )
    """What ``field()`` takes: a :class:`Field`'s attributes but its name and type."""

    class Field:
        """A field: its specification (from :func:`field`, or a plain default) and, once its
        class is made, its name and annotation. The attributes are the standard ``Field``'s."""

        __slots__ = (
            "compare",
            "default",
            "default_factory",
            "hash",
            "init",
            "kw_only",
            "metadata",
            "name",
            "repr",
            "type",
        )

        def __init__(
            self,
            *,
            default=MISSING,
            default_factory=MISSING,
            init=True,
            repr=True,
            hash=None,
            compare=True,
            metadata=None,
            kw_only=MISSING,
        ):
            if default is not MISSING and default_factory is not MISSING:
                raise ValueError("cannot specify both default and default_factory")
            self.name = None
            self.type = None
            self.default = default
            self.default_factory = default_factory
            self.init = init
            self.repr = repr
            self.hash = hash
            self.compare = compare
            self.metadata = types.MappingProxyType(dict(metadata or {}))
            self.kw_only = kw_only

        def __repr__(self):
            return (
                f"Field(name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r},init={self.init!r},"
                f"repr={self.repr!r},hash={self.hash!r},compare={self.compare!r},"
                f"metadata={self.metadata!r},kw_only={self.kw_only!r})"
            )

    field = Field
    """``dataclasses.field``: a field's specification, as a class attribute's value."""

    def dataclass(cls=None, /, **options):
        """``dataclasses.dataclass``, a plain class made without the standard library."""

        def wrap(klass):
            specs = _plain(klass, options)
            if specs is not None:
                frozen = options.get("frozen", False)
                return _made(klass, specs, slots=options.get("slots", False), frozen=frozen)
            return _standard(klass, options)

        return wrap if cls is None else wrap(cls)

    def fields(class_or_instance):
        """``dataclasses.fields``: the class's fields, in order."""
        cls = class_or_instance if isinstance(class_or_instance, type) else type(class_or_instance)
        made = cls.__dict__.get(_FIELDS)
        if made is not None:
            return made
        import dataclasses

        return dataclasses.fields(class_or_instance)

    def replace(obj, /, **changes):
        """``dataclasses.replace``: a copy of ``obj`` with ``changes`` (every field here is a
        parameter of ``__init__``)."""
        made = type(obj).__dict__.get(_FIELDS)
        if made is None:
            import dataclasses

            return dataclasses.replace(obj, **changes)
        for f in made:
            if f.name not in changes:
                changes[f.name] = getattr(obj, f.name)
        return obj.__class__(**changes)

    def _standard(klass, options):
        """The standard decorator, with pinset's field specifications given as its own."""
        import dataclasses

        for name in klass.__dict__.get("__annotations__", {}):  # noqa: RUF063 (inspect: ~35 M)
            spec = klass.__dict__.get(name)
            if isinstance(spec, Field):
                setattr(klass, name, _standard_spec(spec))
        return dataclasses.dataclass(klass, **options)

    def _standard_spec(spec):
        import dataclasses

        options = {}
        for name in _OPTIONS:
            value = getattr(spec, name)
            options[name] = dataclasses.MISSING if value is MISSING else value
        options["metadata"] = dict(spec.metadata) or None
        return dataclasses.field(**options)

    def _plain(cls, options):
        """The fields of a class this module makes itself, or None (the standard decorator)."""
        if not _plain_class(cls, options):
            return None
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (none: no fields)
        if not isinstance(annotations, dict) or "self" in annotations:
            return None
        if not all(
            isinstance(a, str) and not any(s in a for s in _SPECIAL) for a in annotations.values()
        ):
            return None
        made = []
        for name, annotation in annotations.items():
            spec = _spec(cls.__dict__.get(name, MISSING))
            if spec is None:
                return None
            spec.name, spec.type = name, annotation
            made.append(spec)
        return made if _keywords_last(made) and _defaults_last(_positional(made)) else None

    def _plain_class(cls, options):
        """Whether the options and the class leave nothing to the standard decorator."""
        frozen = options.get("frozen", False)
        if not set(options) <= {"frozen", "slots"}:
            return False
        if frozen not in (True, False) or options.get("slots", False) not in (True, False):
            return False
        if not frozen and cls.__setattr__ is not object.__setattr__:
            return False  # the standard __init__ assigns through it
        if any(name in cls.__dict__ for name in (*_OWN, *_STATE, "__slots__")):
            return False
        bases = cls.__mro__[1:-1]
        if any("__dataclass_fields__" in b.__dict__ or b.__dict__.get("__slots__") for b in bases):
            return False  # a dataclass base, or slots of a base (``Generic``'s are empty)
        return not getattr(cls, "__abstractmethods__", None)

    def _spec(value):
        """A fresh :class:`Field` for a class attribute's value; None when the value is one the
        standard decorator must judge (its own ``Field``, a mutable default)."""
        standard = sys.modules.get("dataclasses")  # its Field exists only once it is imported
        if isinstance(value, Field) or (standard and isinstance(value, standard.Field)):
            if not value.init:
                return None
            options = {name: getattr(value, name) for name in _OPTIONS}
            unset = standard.MISSING if standard else MISSING
            return Field(**{k: MISSING if v is unset else v for k, v in options.items()})
        if value is not MISSING and value.__class__.__hash__ is None:
            return None  # a mutable default (list, dict, set): the standard error
        return Field(default=value)

    def _positional(specs):
        return [f for f in specs if f.kw_only is not True]

    def _keywords_last(specs):
        """Whether keyword-only fields (``field(kw_only=True)``) come after all others, the
        order of ``__init__``'s parameters (the standard decorator moves them there)."""
        flags = [f.kw_only is True for f in specs]
        return flags == sorted(flags)

    def _defaults_last(specs):
        seen_default = False
        for spec in specs:
            has = spec.default is not MISSING or spec.default_factory is not MISSING
            if seen_default and not has:
                return False  # the standard decorator raises its own TypeError
            seen_default = seen_default or has
        return True

    def _made(cls, specs, *, slots, frozen):
        specs = tuple(specs)
        if slots:
            cls = _slotted(cls, specs)
        else:
            for spec in specs:  # as the standard decorator: a plain default stays, and a
                # field() specification (pinset's or the standard one) gives way to its default
                value = cls.__dict__.get(spec.name, MISSING)
                if value is not MISSING and value is not spec.default:
                    if spec.default is MISSING:
                        delattr(cls, spec.name)
                    else:
                        setattr(cls, spec.name, spec.default)
        setattr(cls, _FIELDS, specs)
        cls.__match_args__ = tuple(f.name for f in _positional(specs))
        for name, method in _methods(cls, specs, slots, frozen).items():
            setattr(cls, name, method)
        if not frozen:
            cls.__hash__ = None  # equal by value, mutable: unhashable, as the standard one
        cls.__dataclass_fields__ = _StandardView(cls, "__dataclass_fields__", frozen)
        cls.__dataclass_params__ = _StandardView(cls, "__dataclass_params__", frozen)
        if not cls.__dict__.get("__doc__"):
            cls.__doc__ = cls.__name__ + _signature(specs)
        return cls

    def _slotted(cls, specs):
        """``cls`` made again with ``__slots__`` for its fields, as the standard decorator does."""
        namespace = dict(cls.__dict__)
        namespace["__slots__"] = tuple(f.name for f in specs)
        for spec in specs:
            namespace.pop(spec.name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        made = type(cls)(cls.__name__, cls.__bases__, namespace)
        made.__qualname__ = cls.__qualname__
        return made

    class _StandardView:
        """``__dataclass_fields__`` and ``__dataclass_params__`` of a class made here: the
        standard decorator applied, when first read, to a copy of the class's fields (which
        imports ``dataclasses``), the results then set on the class in place of this."""

        def __init__(self, cls, name, frozen):
            self.cls = cls
            self.name = name
            self.frozen = frozen

        def __get__(self, obj, owner):
            import dataclasses

            owner = self.cls
            specs = owner.__dict__[_FIELDS]
            namespace = {
                "__annotations__": {f.name: f.type for f in specs},
                "__module__": owner.__module__,
                "__qualname__": owner.__qualname__,
            }
            for spec in specs:
                namespace[spec.name] = _standard_spec(spec)
            copy = dataclasses.dataclass(
                type(owner.__name__, (), namespace), init=False, repr=False, eq=False
            )
            params = copy.__dataclass_params__
            params.init = params.repr = params.eq = True
            params.frozen = self.frozen
            found = copy.__dataclass_fields__
            type.__setattr__(owner, "__dataclass_fields__", found)
            type.__setattr__(owner, "__dataclass_params__", params)
            return owner.__dict__[self.name]

    def _signature(fields):
        """``__init__``'s signature as ``inspect`` shows it (the standard decorator's
        ``__doc__``), from the fields: every annotation is a string here."""
        params = []
        for field in fields:
            if field.kw_only is True and "*" not in params:
                params.append("*")
            default = _default(field)
            shown = "" if default is MISSING else f" = {default!r}"
            params.append(f"{field.name}: {field.type!r}{shown}")
        return "(" + ", ".join(params) + ")"

    _TEMPLATE_LIMIT = 8
    """Classes of up to this many fields get an ``__init__`` made from a template (in
    :mod:`pinset._dataclass_inits`, whose bytecode is cached as any module's), with the parameter
    names and the attribute names changed (nothing compiled per class); a larger class compiles
    its own."""

    def _init_source(params, after):
        """The source of an ``__init__`` setting the fields ``params``."""
        body = [f"    __pinset_set(self, {p!r}, {p})" for p in params]
        if after:
            body.append("    __pinset_after(self)")
        return f"def __init__({', '.join(['self', *params])}):\n" + "\n".join(body or ["    pass"])

    def _templates():
        """The ``__init__`` codes by field count, each without and with the after hook
        (default factories, ``__post_init__``)."""
        from pinset import _dataclass_inits as inits

        return tuple(
            (getattr(inits, f"init_{n}").__code__, getattr(inits, f"init_{n}_after").__code__)
            for n in range(_TEMPLATE_LIMIT + 1)
        )

    _TEMPLATES = _templates()

    def _init(cls, fields):
        """``__init__``: ``object.__setattr__`` of each field, then (when the class needs it)
        the after hook: each default factory called for a field left to it, then
        ``__post_init__``."""
        names = tuple(f.name for f in fields)
        positional = _positional(fields)
        defaults = tuple(d for d in map(_default, positional) if d is not MISSING)
        keywords = {
            f.name: _default(f) for f in fields[len(positional) :] if _default(f) is not MISSING
        }
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
        if len(positional) < len(names):  # the last ones keyword-only
            code = code.replace(
                co_argcount=1 + len(positional), co_kwonlyargcount=len(names) - len(positional)
            )
        init = types.FunctionType(code, scope, "__init__", defaults or None)
        init.__kwdefaults__ = keywords or None
        init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
        return init

    def _compiled_init(names, after):
        """The code of a large class's ``__init__``, compiled from its field names."""
        module = compile(_init_source(names, after), "<string>", "exec")  # of field names only
        return next(c for c in module.co_consts if isinstance(c, types.CodeType))

    def _default(field):
        if field.default_factory is not MISSING:
            return _FACTORY
        return field.default

    def _after(cls, fields):
        """What ``__init__`` does after setting the fields, or None when there is nothing."""
        made = tuple(
            (f.name, f.default_factory) for f in fields if f.default_factory is not MISSING
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
        if "__repr__" in cls.__dict__:
            del made["__repr__"]
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
                raise _frozen_error(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in names:
                raise _frozen_error(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        return {"__setattr__": __setattr__, "__delattr__": __delattr__}

    def _frozen_error(message):
        import dataclasses

        return dataclasses.FrozenInstanceError(message)

    def _slot_state(names):
        def __getstate__(self):
            return [getattr(self, name) for name in names]

        def __setstate__(self, state):
            for name, value in zip(names, state, strict=True):
                object.__setattr__(self, name, value)

        return {"__getstate__": __getstate__, "__setstate__": __setstate__}
