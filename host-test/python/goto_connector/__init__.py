"""The goto-connector component in Python, on wasmtime-py.

    connector = Connector()
    meeting = connector.meetings.get_meeting({"access_token": token}, 123456789)

The component ships inside this package (`goto_connector.wasm`, put there
when the wheel is built); `Connector(path)` loads another one instead. It is
compiled once; every call gets a fresh store and instance,
so nothing survives from one call to the next. Arguments and results are
plain Python: records are dicts with snake_case keys, options are None or
the value, enums and payload-less variant cases are strings, a case with a
payload is a one-key dict (`{"other": "webinar"}`). An operation returns its
ok value or raises `GotoError`, whose `tag` and `payload` are the
component's `error` (`not-found` with its api-error, `transport`, ...).

wasmtime-py has no hook on outgoing HTTP: the component can reach any host
its `connection` names, so pass only bases you trust. Each call's memory is
capped (64 MiB by default); there is no time limit beyond the request
timeouts in the connection's `settings`.
"""

from __future__ import annotations

import importlib.resources
import keyword
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wasmtime import Engine, Store, WasiConfig
from wasmtime.component import (
    Component,
    ComponentInstanceType,
    ExportIndex,
    FuncType,
    Linker,
    ListType,
    OptionType,
    Record,
    RecordType,
    ResultType,
    TupleType,
    ValType,
    Variant,
    VariantType,
)

__all__ = ["COMPONENT", "Connector", "GotoError", "component_path"]

PACKAGE = "goto:connector/"

#: The component's file name inside this package.
COMPONENT = "goto_connector.wasm"


class GotoError(Exception):
    """An operation's `error`: `tag` is its case (`not-found`), `payload`
    its value in plain Python (the api-error dict, or a string)."""

    def __init__(self, tag: str, payload: Any) -> None:
        super().__init__(f"{tag}: {payload}")
        self.tag: str = tag
        self.payload: Any = payload


def component_path() -> Path:
    """The component that ships in this package; `FileNotFoundError` when
    it is absent (a source checkout: the wheel's build puts it there)."""
    path = Path(str(importlib.resources.files(__name__).joinpath(COMPONENT)))
    if not path.is_file():
        raise FileNotFoundError(
            f"the goto-connector component is not in the package ({path} is missing): "
            "install the wheel that `cargo xtask dist` builds, or pass the .wasm's path, "
            "Connector('path/to/goto_connector.wasm')"
        )
    return path


def _snake(name: str) -> str:
    return name.replace("-", "_")


def _classes(case: ValType | None) -> set[type]:
    """The Python classes wasmtime-py gives a variant case's payload."""
    classes: set[type] = set()
    if case is None:
        classes.add(object)
    else:
        case.add_classes(classes)
    return classes


def _tagged(ty: Any) -> bool:
    """Whether wasmtime-py represents values of this variant-like type as
    `Variant` objects: it does when two cases map to the same Python class.
    (`_cases` is wasmtime-py's own list of a variant, option or result's
    cases; the version is pinned.)"""
    seen: set[type] = set()
    for _, case in ty._cases():
        classes = _classes(case)
        if classes & seen:
            return True
        seen |= classes
    return False


def _lower(ty: ValType, value: Any) -> Any:
    """Plain Python -> the values wasmtime-py expects for `ty`."""
    if isinstance(ty, RecordType):
        rec = Record()
        for name, field in ty.fields:
            setattr(rec, name, _lower(field, value.get(_snake(name))))
        return rec
    if isinstance(ty, ListType) and not ty._is_bytes():
        return [_lower(ty.element, v) for v in value]
    if isinstance(ty, OptionType):
        inner = None if value is None else _lower(ty.payload, value)
        if _tagged(ty):
            return Variant("none") if value is None else Variant("some", inner)
        return inner
    if isinstance(ty, VariantType):
        tag, payload = (value, None) if isinstance(value, str) else next(iter(value.items()))
        case = dict(ty.cases)[tag]
        lowered = None if case is None else _lower(case, payload)
        return Variant(tag, lowered) if _tagged(ty) else lowered
    if isinstance(ty, TupleType):
        return tuple(_lower(t, v) for t, v in zip(ty.elements, value))
    return value


def _lift(ty: ValType | None, value: Any) -> Any:
    """wasmtime-py's value of type `ty` -> plain Python."""
    if isinstance(ty, RecordType):
        return {_snake(n): _lift(t, getattr(value, n)) for n, t in ty.fields}
    if isinstance(ty, ListType) and not ty._is_bytes():
        return [_lift(ty.element, v) for v in value]
    if isinstance(ty, OptionType):
        if _tagged(ty):
            return None if value.tag == "none" else _lift(ty.payload, value.payload)
        return None if value is None else _lift(ty.payload, value)
    if isinstance(ty, VariantType):
        tag, payload = _case(ty, value)
        case = dict(ty.cases)[tag]
        return tag if case is None else {tag: _lift(case, payload)}
    if isinstance(ty, TupleType):
        return tuple(_lift(t, v) for t, v in zip(ty.elements, value))
    return value


def _case(ty: Any, value: Any) -> tuple[str, Any]:
    """The (tag, payload) of a variant-like value, tagged or not."""
    if _tagged(ty):
        return value.tag, value.payload
    for tag, case in ty._cases():
        if isinstance(value, tuple(_classes(case))):
            return tag, value
    raise TypeError(f"no case of the variant holds {value!r}")


class _Interface:
    """One exported interface; `connector.meetings.get_meeting(...)`."""

    def __init__(self, connector: Connector, name: str, funcs: dict[str, FuncType]) -> None:
        self._connector = connector
        self._name = name
        component = connector._component
        parent = component.get_export_index(name)
        self._funcs: dict[str, tuple[str, FuncType, ExportIndex | None]] = {
            _snake(f): (f, ty, component.get_export_index(f, parent)) for f, ty in funcs.items()
        }

    def __getattr__(self, attr: str) -> Callable[..., Any]:
        if attr not in self._funcs:
            raise AttributeError(f"{self._name} has no operation {attr}")
        func, ty, index = self._funcs[attr]
        return lambda *args: self._connector._call(func, ty, index, args)

    def __dir__(self) -> list[str]:
        return sorted(self._funcs)


class Connector:
    """The component, compiled once; one attribute per exported interface
    (`meetings`, `organizers`, `oauth`, ...), one method per operation.

    `wasm` is the component's path; by default the one in this package.
    Each call's linear memory is capped at `memory_bytes`."""

    def __init__(
        self,
        wasm: str | os.PathLike[str] | None = None,
        engine: Engine | None = None,
        memory_bytes: int = 64 << 20,
    ) -> None:
        path = component_path() if wasm is None else Path(wasm)
        if not path.is_file():
            raise FileNotFoundError(f"no component at {path}")
        self._engine = engine or Engine()
        self._memory_bytes = memory_bytes
        self._component = Component.from_file(self._engine, str(path))
        self._linker = Linker(self._engine)
        self._linker.add_wasip2()
        self._linker.add_wasi_http()
        #: The exported interfaces' short names -> full names
        #: (`"meetings"` -> `"goto:connector/meetings@0.1.0"`).
        self.interfaces: dict[str, str] = {}
        self._interfaces: dict[str, _Interface] = {}
        for full, ext in self._component.type.exports(self._engine).items():
            if not full.startswith(PACKAGE) or not isinstance(ext.ty, ComponentInstanceType):
                continue
            # "goto:connector/meetings@0.1.0" -> "meetings": the WIT package
            # version comes from the component, never from this module.
            short = full[len(PACKAGE):].split("@")[0]
            items = ext.ty.exports(self._engine).items()
            funcs = {f: e.ty for f, e in items if isinstance(e.ty, FuncType)}
            self.interfaces[short] = full
            attr = short + "_" if keyword.iskeyword(short) else short
            self._interfaces[_snake(attr)] = _Interface(self, full, funcs)

    def __getattr__(self, attr: str) -> _Interface:
        interfaces = self.__dict__.get("_interfaces", {})
        if attr not in interfaces:
            raise AttributeError(f"the component exports no interface {attr}")
        interface: _Interface = interfaces[attr]
        return interface

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.__dict__.get("_interfaces", {})})

    def _call(self, func: str, ty: FuncType, index: ExportIndex | None, args: tuple[Any, ...]) -> Any:
        params = ty.params
        if len(args) != len(params):
            raise TypeError(f"{func} takes {len(params)} arguments, got {len(args)}")
        if index is None:
            raise AttributeError(f"the component has no function {func}")
        store = Store(self._engine)
        store.set_limits(memory_size=self._memory_bytes)
        store.set_wasi(WasiConfig())
        store.set_wasi_http()
        instance = self._linker.instantiate(store, self._component)
        f = instance.get_func(store, index)
        if f is None:
            raise AttributeError(f"the component has no function {func}")
        result = f(store, *(_lower(t, a) for (_, t), a in zip(params, args)))
        if not isinstance(ty.result, ResultType):
            return _lift(ty.result, result)
        tag, payload = _case(ty.result, result)
        if tag == "ok":
            return _lift(ty.result.ok, payload)
        err = ty.result.err
        tag, payload = _case(err, payload)
        case = dict(err.cases)[tag] if isinstance(err, VariantType) else None
        raise GotoError(tag, None if case is None else _lift(case, payload))
