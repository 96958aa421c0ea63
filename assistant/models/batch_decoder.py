"""Several generations decoded together: one llama.cpp context, one sequence per request.

A scheduler thread owns the context. Each prompt family's fixed prefix (its system message) is
evaluated once into a sequence of its own and copied (``llama_memory_seq_cp``, shared KV cells in the
unified cache) to the sequence of each request that starts with it, so no family evicts another's
prefix. Every step makes one ``llama_decode`` call holding the next token of every live sequence and,
in the room left, the next chunk of the waiting prompts. Decoding reads the weights once per step
whatever the number of sequences, which is where the speed-up comes from on a CPU.

Sampling is llama-cpp-python's for the same settings: arg-max at temperature 0; otherwise top-k 40,
top-p 0.95, min-p 0.05, then temperature, in numpy.
"""

from __future__ import annotations

import ctypes
import queue as queue_module
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.errors import ModelError

N_BATCH = 512  # tokens per llama_decode call (and per micro-batch)
SEQUENCE_CELLS = 2048  # KV cells of each sequence's stream: a 1,400-token prompt and its answer fit
_END = object()


@dataclass(frozen=True)
class Sampling:
    """How the next token is chosen (llama-cpp-python's defaults besides the temperature)."""

    temperature: float = 0.0
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05


@dataclass
class BatchRequest:
    """One generation: submitted by a caller, advanced by the scheduler, read with ``tokens()``."""

    prompt: list[int]
    family: str  # key of the prompt family ("" when the prompt has no cacheable prefix)
    prefix_len: int  # leading prompt tokens that are the family's fixed prefix
    max_tokens: int
    sampling: Sampling
    submitted: float = field(default_factory=time.perf_counter)
    admitted: float | None = None
    cached_tokens: int = 0  # prompt tokens served from a family prefix already evaluated
    cancelled: threading.Event = field(default_factory=threading.Event)
    out: queue_module.Queue[Any] = field(default_factory=queue_module.Queue)
    # Scheduler state.
    seq: int = -1
    pending: list[int] = field(default_factory=list)  # prompt tokens still to evaluate
    pos: int = 0  # position of the next token fed to the model
    next_token: int | None = None  # sampled, not yet fed
    generated: int = 0

    def tokens(self) -> Iterator[int]:
        """The generated token ids as they come (raises ModelError if the decoder failed)."""
        while True:
            item = self.out.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield int(item)

    def cancel(self) -> None:
        """The caller stopped reading: the sequence is freed at the next step."""
        self.cancelled.set()


class BatchDecoder:
    """The scheduler: admits requests, reuses family prefixes, decodes every live sequence together."""

    def __init__(
        self,
        model: Any,
        *,
        batch_size: int,
        max_families: int,
        n_ctx: int,
        n_threads: int,
        eog: set[int],
        n_vocab: int,
    ) -> None:
        import llama_cpp

        self._ll = llama_cpp
        self._model = model  # a llama_cpp.Llama: keeps the weights alive and tokenizes
        self.batch_size = batch_size
        self.max_families = max_families
        self.cells = min(n_ctx, SEQUENCE_CELLS)  # per sequence
        self._eog = eog
        self._n_vocab = n_vocab
        # The loaded context's parameters (flash attention off, rope, ...), so the numbers match its.
        base = model.context_params
        params = type(base).from_buffer_copy(base)
        params.n_ctx = self.cells * (batch_size + max_families)
        params.n_batch = params.n_ubatch = N_BATCH
        params.n_seq_max = batch_size + max_families
        params.n_threads = params.n_threads_batch = n_threads
        # One KV stream per sequence: each attends over its own cells laid out as in a context of its
        # own (the prefix copied in whole), so greedy text matches the one-at-a-time path.
        params.kv_unified = False
        self._ctx = llama_cpp.llama_init_from_model(model._model.model, params)
        if not self._ctx:
            raise ModelError(f"llama.cpp could not open a batch context of {params.n_ctx} cells")
        self._mem = llama_cpp.llama_get_memory(self._ctx)
        self._batch = llama_cpp.llama_batch_init(N_BATCH, 0, 1)
        self._rng = np.random.default_rng()
        self._cond = threading.Condition()
        self._waiting: deque[BatchRequest] = deque()
        self._live: list[BatchRequest] = []
        self._free_seqs = list(range(max_families, max_families + batch_size))
        # family key -> (sequence, evaluated prefix tokens), least recently used first.
        self._families: OrderedDict[str, tuple[int, list[int]]] = OrderedDict()
        self._reset = False
        self.steps = 0
        self._thread = threading.Thread(target=self._loop, name="batch-decoder", daemon=True)
        self._thread.start()

    # Caller side.

    def submit(self, request: BatchRequest) -> BatchRequest:
        if len(request.prompt) + request.max_tokens > self.cells:
            raise ModelError(
                f"a prompt of {len(request.prompt)} tokens and {request.max_tokens} to generate do not fit "
                f"a batched sequence's {self.cells} cells; lower model.max_prompt_tokens or use batch_size 1"
            )
        with self._cond:
            self._waiting.append(request)
            self._cond.notify_all()
        return request

    def reset(self) -> None:
        """Forget the cached family prefixes (benchmarks), at the next step."""
        with self._cond:
            self._reset = True
            self._cond.notify_all()

    def family_cached(self, family: str) -> int:
        """Tokens of this family's prefix held now (tests)."""
        with self._cond:
            entry = self._families.get(family)
            return len(entry[1]) if entry else 0

    def live_count(self) -> int:
        with self._cond:
            return len(self._live)

    # Scheduler side.

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not (self._waiting or self._live or self._reset):
                    self._cond.wait()
            try:
                self._step()
            except Exception as exc:  # a failed decode ends the requests in it, not the scheduler
                self._fail_all(ModelError(f"local generation failed: {exc}"))

    def _step(self) -> None:
        if self._reset:
            self._reset = False
            for seq, _ in self._families.values():
                self._ll.llama_memory_seq_rm(self._mem, seq, -1, -1)
            self._families.clear()
        for request in [r for r in self._live if r.cancelled.is_set()]:
            self._finish(request)
        self._admit()
        if not self._live:
            return
        entries = self._entries()
        self._decode(entries)
        self.steps += 1
        for index, (_, _, _, wants) in enumerate(entries):
            if wants is not None:
                self._emit(wants, self._sample(index, wants.sampling))

    def _entries(self) -> list[tuple[int, int, int, BatchRequest | None]]:
        """This step's batch: every live sequence's next token, then prompt chunks in the room left
        (the request is named on the token whose logits it needs)."""
        entries: list[tuple[int, int, int, BatchRequest | None]] = []
        for request in self._live:
            if request.next_token is not None:
                entries.append((request.next_token, request.pos, request.seq, request))
                request.pos += 1
                request.next_token = None
        for request in self._live:
            room = N_BATCH - len(entries)
            if room <= 0:
                break
            chunk, request.pending = request.pending[:room], request.pending[room:]
            for k, token in enumerate(chunk):
                last = not request.pending and k == len(chunk) - 1
                entries.append((token, request.pos, request.seq, request if last else None))
                request.pos += 1
        return entries

    def _admit(self) -> None:
        with self._cond:
            while self._waiting and self._free_seqs:
                request = self._waiting.popleft()
                if request.cancelled.is_set():
                    request.out.put(_END)
                    continue
                request.seq = self._free_seqs.pop(0)
                self._live.append(request)
        for request in self._live:
            if request.admitted is None:
                self._start(request)

    def _start(self, request: BatchRequest) -> None:
        """Copy the family prefix into the request's sequence (evaluating it first if new)."""
        request.admitted = time.perf_counter()
        mem, seq = self._mem, request.seq
        self._ll.llama_memory_seq_rm(mem, seq, -1, -1)
        prefix = request.prompt[: request.prefix_len]
        start = 0
        if request.family and prefix:
            # The family's sequence holds its last prompt (as one context per family did): the request
            # reuses what it shares with it, at least the fixed prefix.
            entry = self._families.get(request.family)
            common = min(common_prefix(entry[1], request.prompt), len(request.prompt) - 1) if entry else 0
            if entry is not None and common >= len(prefix):
                self._families.move_to_end(request.family)
                request.cached_tokens = common
            else:
                entry = self._evaluate_prefix(request.family, prefix)
                common = len(prefix)
            self._ll.llama_memory_seq_cp(mem, entry[0], seq, -1, -1)
            self._ll.llama_memory_seq_rm(mem, seq, common, -1)
            start = common
        request.pending = request.prompt[start:]
        request.pos = start

    def _evaluate_prefix(self, family: str, prefix: list[int]) -> tuple[int, list[int]]:
        if family in self._families:
            seq = self._families.pop(family)[0]
        elif len(self._families) < self.max_families:
            used = {s for s, _ in self._families.values()}
            seq = min(s for s in range(self.max_families) if s not in used)
        else:
            seq = self._families.popitem(last=False)[1][0]  # the least recently used family
        self._ll.llama_memory_seq_rm(self._mem, seq, -1, -1)
        for start in range(0, len(prefix), N_BATCH):
            chunk = prefix[start : start + N_BATCH]
            self._decode([(t, start + k, seq, None) for k, t in enumerate(chunk)])
        self._families[family] = (seq, list(prefix))
        return self._families[family]

    def _decode(self, entries: list[tuple[int, int, int, BatchRequest | None]]) -> None:
        batch = self._batch
        for i, (token, pos, seq, wants) in enumerate(entries):
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq
            batch.logits[i] = wants is not None
        batch.n_tokens = len(entries)
        rc = self._ll.llama_decode(self._ctx, batch)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")

    def _sample(self, index: int, sampling: Sampling) -> int:
        pointer = self._ll.llama_get_logits_ith(self._ctx, index)
        logits = np.ctypeslib.as_array(
            ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(self._n_vocab,)
        )
        if sampling.temperature <= 0.0:
            return int(logits.argmax())
        top = np.argpartition(logits, -sampling.top_k)[-sampling.top_k :]
        top = top[np.argsort(logits[top])[::-1]]
        probs = np.exp(logits[top] - logits[top[0]])
        probs /= probs.sum()
        keep = int(np.searchsorted(np.cumsum(probs), sampling.top_p)) + 1  # top-p: smallest set reaching it
        keep = max(1, int((probs[:keep] >= sampling.min_p * probs[0]).sum()))
        scaled = np.exp((logits[top[:keep]] - logits[top[0]]) / sampling.temperature)
        return int(self._rng.choice(top[:keep], p=scaled / scaled.sum()))

    def _emit(self, request: BatchRequest, token: int) -> None:
        if token in self._eog or request.cancelled.is_set():
            self._finish(request)
            return
        request.out.put(token)
        request.generated += 1
        if request.generated >= request.max_tokens:
            self._finish(request)
        else:
            request.next_token = token

    def _finish(self, request: BatchRequest, evaluated: bool = True) -> None:
        entry = self._families.get(request.family)
        if evaluated and entry is not None and request.admitted is not None and not request.pending:
            # Its whole prompt is in its cells: keep it as the family's cached prompt.
            family_seq = entry[0]
            self._ll.llama_memory_seq_rm(self._mem, family_seq, -1, -1)
            self._ll.llama_memory_seq_cp(self._mem, request.seq, family_seq, -1, -1)
            self._ll.llama_memory_seq_rm(self._mem, family_seq, len(request.prompt), -1)
            self._families[request.family] = (family_seq, list(request.prompt))
        self._ll.llama_memory_seq_rm(self._mem, request.seq, -1, -1)
        with self._cond:
            self._live.remove(request)
            self._free_seqs.append(request.seq)
        request.out.put(_END)

    def _fail_all(self, error: ModelError) -> None:
        for request in list(self._live):
            request.out.put(error)
            self._finish(request, evaluated=False)


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens two token lists share (the part of a prompt a cache already holds)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
