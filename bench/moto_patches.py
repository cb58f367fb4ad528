"""Make moto's costs follow DynamoDB's, so that timings at 10,000 patients measure our code.

moto answers every Query by sorting the whole table (or index) and walking it, and copies the whole table
before every TransactWriteItems, so on moto a request gets slower as the table grows even when DynamoDB
would read exactly the same items. Installed, the patches here:

- keep each partition of the table and of its GSIs sorted, and hand moto's Query only the window DynamoDB
  would read: the partition, the key condition's range, from the start key, Limit + 1 items. moto still
  does everything else (conditions, filters, projections, paging keys, ScannedCount);
- back up only what a transaction can change (the partition maps and the items it names) instead of a
  deep copy of the table, and restore that on a cancelled transaction exactly as moto does.

Answers stay the same as stock moto's (tests/unit/test_bench.py compares them); only the work changes.
Bench only: the test suites run stock moto.
"""

from __future__ import annotations

import bisect
import copy
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_HIGH = "\U0010ffff"  # sorts after any character our keys use: the end of a begins_with range
_lock = threading.RLock()


@dataclass
class _Index:
    """One GSI's partitions: members by table key, and a sorted view rebuilt after a change."""

    hash_attr: str
    range_attr: str
    members: dict[str, dict[tuple[str, str], Any]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    ordered: dict[str, tuple[list[Any], list[tuple[str, str, str]], list[str]]] = field(default_factory=dict)
    usable: bool = True  # False once an item has a key that is not a string: moto answers by itself

    def forget(self, key: tuple[str, str]) -> None:
        old = self.where.pop(key, None)
        if old is not None:
            self.members[old].pop(key, None)
            self.ordered.pop(old, None)

    def add(self, key: tuple[str, str], item: Any) -> None:
        self.forget(key)
        hash_value, range_value = item.attrs.get(self.hash_attr), item.attrs.get(self.range_attr)
        if hash_value is None or range_value is None:
            return  # not projected into the index (sparse)
        if hash_value.type != "S" or range_value.type != "S":
            self.usable = False
            return
        partition = str(hash_value.value)
        self.members.setdefault(partition, {})[key] = item
        self.where[key] = partition
        self.ordered.pop(partition, None)

    def partition(self, name: str) -> tuple[list[Any], list[tuple[str, str, str]], list[str]]:
        if name not in self.ordered:
            entries = sorted(
                ((str(item.attrs[self.range_attr].value), *key), item)
                for key, item in self.members.get(name, {}).items()
            )
            self.ordered[name] = (
                [item for _, item in entries],
                [sort for sort, _ in entries],
                [sort[0] for sort, _ in entries],
            )
        return self.ordered[name]


@dataclass
class _TableState:
    indexes: dict[str, _Index]
    base: dict[str, tuple[list[Any], list[str]]] = field(default_factory=dict)  # sorted partitions


class _Unsupported(Exception):
    """A key shape the window logic does not handle: moto answers the query its own way."""


def _key(item: Any) -> tuple[str, str]:
    return (str(item.hash_key.value), str(item.range_key.value))


def _state(table: Any) -> _TableState:
    """Built on first use from the table's items, then kept up to date by the write hooks."""
    state: _TableState | None = table.__dict__.get("_bench_state")
    if state is None:
        indexes = {}
        for index in table.global_indexes or []:
            hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            if len(hashes) == 1 and len(ranges) == 1:
                indexes[index.name] = _Index(hashes[0], ranges[0])
        state = _TableState(indexes)
        for partition in table.items.values():
            for item in partition.values():
                for index_state in indexes.values():
                    index_state.add(_key(item), item)
        table.__dict__["_bench_state"] = state
    return state


def _range_bounds(firsts: list[str], conditions: list[Any]) -> tuple[int, int]:
    """The slice of a sorted partition that the sort key condition selects."""
    if not conditions:
        return 0, len(firsts)
    if len(conditions) != 1:
        raise _Unsupported
    _, comparison, values = conditions[0]
    if any(value.type != "S" for value in values):
        raise _Unsupported
    texts = [str(value.value) for value in values]
    op = comparison.upper()
    if op in ("=", "EQ"):
        return bisect.bisect_left(firsts, texts[0]), bisect.bisect_right(firsts, texts[0])
    if op in ("<", "LT"):
        return 0, bisect.bisect_left(firsts, texts[0])
    if op in ("<=", "LE"):
        return 0, bisect.bisect_right(firsts, texts[0])
    if op in (">", "GT"):
        return bisect.bisect_right(firsts, texts[0]), len(firsts)
    if op in (">=", "GE"):
        return bisect.bisect_left(firsts, texts[0]), len(firsts)
    if op == "BETWEEN":
        return bisect.bisect_left(firsts, texts[0]), bisect.bisect_right(firsts, texts[1])
    if op == "BEGINS_WITH":
        return bisect.bisect_left(firsts, texts[0]), bisect.bisect_left(firsts, texts[0] + _HIGH)
    raise _Unsupported


def _window(
    bound: dict[str, Any], items: list[Any], keys: list[Any], lo: int, hi: int, start: Any
) -> list[Any]:
    """From the start key, Limit + 1 items of [lo, hi), plus the partition's next item past the range: moto
    (like DynamoDB) returns a LastEvaluatedKey when Limit is reached and the partition goes on."""
    forward = bound.get("scan_index_forward") is not False
    limit = bound.get("limit")
    if forward:
        if start is not None:
            lo = max(lo, bisect.bisect_right(keys, start))
        end = min(hi + 1, len(items))
        return items[lo : end if not limit else min(end, lo + limit + 1)]
    if start is not None:
        hi = min(hi, bisect.bisect_left(keys, start))
    begin = max(lo - 1, 0)
    return items[begin if not limit else max(begin, hi - limit - 1) : hi]


def _text(typed: dict[str, Any], name: str) -> str:
    value = typed[name]
    if set(value) != {"S"}:
        raise _Unsupported
    return str(value["S"])


def _visible(table: Any, bound: dict[str, Any]) -> list[Any]:
    """The items DynamoDB would read for this Query, in a list moto can walk instead of the table."""
    state = _state(table)
    start_key = bound.get("exclusive_start_key")
    conditions = bound.get("range_key_conditions") or []
    index_name = bound.get("index_name")
    if index_name:
        index = state.indexes.get(index_name)
        hash_conditions = dict(bound.get("hash_key_conditions") or [])
        value = hash_conditions.get(index.hash_attr) if index else None
        if index is None or not index.usable or value is None or len(hash_conditions) != 1:
            raise _Unsupported
        if value.type != "S":
            raise _Unsupported
        if conditions and conditions[0][0] != index.range_attr:
            raise _Unsupported
        members, sort_keys, firsts = index.partition(str(value.value))
        after = None
        if start_key:
            after = (
                _text(start_key, index.range_attr),
                _text(start_key, table.hash_key_attr),
                _text(start_key, table.range_key_attr),
            )
        lo, hi = _range_bounds(firsts, conditions)
        return _window(bound, members, sort_keys, lo, hi, after)
    hash_key = bound.get("hash_key")
    if hash_key is None or hash_key.type != "S":
        raise _Unsupported
    partition_name = str(hash_key.value)
    if conditions and conditions[0][0] != table.range_key_attr:
        raise _Unsupported
    if partition_name not in state.base:
        members = list(table.items.get(hash_key, {}).values())
        if any(item.range_key.type != "S" for item in members):
            raise _Unsupported
        members.sort(key=lambda item: str(item.range_key.value))
        state.base[partition_name] = (members, [str(item.range_key.value) for item in members])
    items, keys = state.base[partition_name]
    start = _text(start_key, table.range_key_attr) if start_key else None
    lo, hi = _range_bounds(keys, conditions)
    return _window(bound, items, keys, lo, hi, start)


def install(table_name: str | None = None) -> Callable[[], None]:
    """Patch moto for one table (or every table); returns a function that takes the patches out."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models import copy as backend_copy
    from moto.dynamodb.models.table import Table

    def ours(table: Any) -> bool:
        return (table_name is None or table.name == table_name) and bool(table.range_key_attr)

    table_class: Any = Table
    backend_class: Any = DynamoDBBackend
    originals: dict[str, Callable[..., Any]] = {
        "put_item": table_class.put_item,
        "delete_item": table_class.delete_item,
        "query": table_class.query,
        "update_item": backend_class.update_item,
        "transact_write_items": backend_class.transact_write_items,
    }
    signature = inspect.signature(originals["query"])

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = originals["put_item"](self, *args, **kwargs)
        if ours(self):
            with _lock:
                _reindex(self, item, present=True)
        return item

    def delete_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = originals["delete_item"](self, *args, **kwargs)
        if ours(self) and item is not None:
            with _lock:
                _reindex(self, item, present=False)
        return item

    def update_item(self: Any, table_name_: str, *args: Any, **kwargs: Any) -> Any:
        item = originals["update_item"](self, table_name_, *args, **kwargs)
        table = self.get_table(table_name_)
        if ours(table) and item is not None:
            with _lock:
                _reindex(table, item, present=True)
        return item

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not ours(self):
            return originals["query"](self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs).arguments
        if bound.get("filter_kwargs"):  # the legacy QueryFilter: left to moto
            return originals["query"](self, *args, **kwargs)
        with _lock:
            try:
                visible = _visible(self, bound)
            except _Unsupported:
                return originals["query"](self, *args, **kwargs)
            self.all_items = lambda: list(visible)
            try:
                return originals["query"](self, *args, **kwargs)
            finally:
                del self.all_items

    class _CheapCopy:
        """moto's module-level `copy`, except that a transaction's backup of a table is cheap."""

        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            keys = _pending.keys.get(value.name) if isinstance(value, Table) and _pending.keys else None
            if keys is not None and ours(value):
                # moto backs the table up once per item of the transaction, before it writes any: the
                # first backup serves them all.
                made = _pending.backups.get(value.name)
                if made is None:
                    made = _pending.backups[value.name] = _backup(value, keys)
                return made
            return copy.deepcopy(value, memo)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        keys: dict[str, set[tuple[str, str]] | None] = {}  # None: a key we cannot read, so a full copy
        for entry in transact_items:
            for op in entry.values():
                name = op.get("TableName")
                table = self.tables.get(name)
                if table is None or not ours(table):
                    continue
                raw = op.get("Key") or op.get("Item") or {}
                try:
                    key = (_text(raw, table.hash_key_attr), _text(raw, table.range_key_attr))
                except (KeyError, _Unsupported):
                    keys[name] = None
                    continue
                named = keys.setdefault(name, set())
                if named is not None:
                    named.add(key)
        with _lock:
            _pending.keys = keys
            _pending.backups = {}
            try:
                originals["transact_write_items"](self, transact_items)
            finally:
                _pending.keys = None
                _pending.backups = {}

    import moto.dynamodb.models as backend_module

    owners = {"put_item": table_class, "delete_item": table_class, "query": table_class}
    owners |= {"update_item": backend_class, "transact_write_items": backend_class}
    patched: dict[str, Callable[..., Any]] = {
        "put_item": put_item,
        "delete_item": delete_item,
        "query": query,
        "update_item": update_item,
        "transact_write_items": transact_write_items,
    }
    module: Any = backend_module
    for name, replacement in patched.items():
        setattr(owners[name], name, replacement)
    module.copy = _CheapCopy()

    def uninstall() -> None:
        for name, original in originals.items():
            setattr(owners[name], name, original)
        module.copy = backend_copy

    return uninstall


class _Pending(threading.local):
    """The keys each table's backup must copy, while a transaction runs on this thread."""

    keys: dict[str, set[tuple[str, str]] | None] | None = None
    backups: dict[str, Any] = {}


_pending = _Pending()


def _reindex(table: Any, item: Any, *, present: bool) -> None:
    state: _TableState | None = table.__dict__.get("_bench_state")
    if state is None:
        return
    key = _key(item)
    state.base.pop(key[0], None)
    for index in state.indexes.values():
        if present:
            index.add(key, item)
        else:
            index.forget(key)


def _backup(table: Any, keys: set[tuple[str, str]]) -> Any:
    """What moto restores if the transaction is cancelled: the table as it is now, sharing every item the
    transaction cannot change, with its own copies of the partition maps and of the items it names."""
    backup = copy.copy(table)
    backup.__dict__.pop("_bench_state", None)  # rebuilt from the restored items on first use
    backup.items = copy.copy(table.items)
    named = {hash_name for hash_name, _ in keys}
    for hash_key in [hash_key for hash_key in table.items if str(hash_key.value) in named]:
        partition = copy.copy(table.items[hash_key])
        for range_key, item in partition.items():
            if (str(hash_key.value), str(range_key.value)) in keys:
                partition[range_key] = copy.deepcopy(item)
        backup.items[hash_key] = partition
    return backup
