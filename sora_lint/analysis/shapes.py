"""The registry of call shapes: every way code sends a Sora request that sora-lint reads.

Each :class:`Shape` says how a call is matched, what makes it a Sora call, what names the
server, and which parameters it carries. The walk, the readers (:mod:`.sdk`, :mod:`.http`)
and the text prefilter (:mod:`.prefilter`) all derive what they look for from this table, so
adding a shape is one entry here plus its tests. This module holds no LibCST: the prefilter
imports it before any file is parsed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SORA_PARAMS = ("model", "seconds", "size", "prompt")
# The parameters whose validity depends on one another (a duration or a size is valid for a model);
# ``prompt`` is valid or not on its own.
INTERDEPENDENT_PARAMS = frozenset({"model", "seconds", "size"})


@dataclass(frozen=True)
class Shape:
    name: str
    kind: str  # "sdk" (a receiver's .videos.<method>), "function" (a library function), "http" (a raw POST)
    matches: str  # how the call is recognised, in words (the README's table)
    evidence: str  # what makes it a Sora call
    server: str  # what names the server (steers profile auto)
    # Regular expressions over the file's text: a file with none of them holds no call of this shape.
    call_patterns: tuple[str, ...]
    # Words (lower case) of which one must be in the file for a call of this shape to be reported.
    evidence_words: tuple[str, ...]
    example: str  # a file with one reported call of this shape
    reports: str = "SOR001"  # the code its example is reported with


# `videos` then `.` (an SDK attribute, maybe across spaces, a parenthesis, a continuation or a comment)
_VIDEOS_ATTRIBUTE = r"videos(?:[\s\\)]|#[^\r\n]*)*\."
# `videos` at the end of a URL string (optional `/`, then the closing quote or a query string)
_VIDEOS_URL = r"videos/?[\"'?]"
# `videos/<id>/remix` ending a URL string (the id may be a replacement field of an f-string)
_REMIX_URL = r"videos/[^\"'\s]*/remix/?[\"'?]"

SHAPES: tuple[Shape, ...] = (
    Shape("openai-sdk", "sdk",
          "`<client>.videos.create / create_and_poll / extend`, also through `with_raw_response` / "
          "`with_streaming_response`, on an `openai` client under any alias",
          "the receiver traces to a client, or a Sora model is passed with only keywords the SDK method takes",
          "the client's `base_url`",
          (_VIDEOS_ATTRIBUTE,), ("openai", "sora"),
          'from openai import OpenAI as Client\nclient = Client()\nclient.videos.create(prompt="p", seconds="10")\n'),
    Shape("openai-module", "sdk", "`openai.videos.create(...)` on the module-level client",
          "the module is `openai`", "`openai.base_url = ...` in the module, else the SDK's default",
          (_VIDEOS_ATTRIBUTE,), ("openai",),
          'import openai\nopenai.videos.create(prompt="p", seconds="10")\n'),
    Shape("portkey", "sdk", "`Portkey(...).videos.create / create_and_poll / extend`",
          "the receiver traces to a `portkey_ai` client", "the client's `base_url`, else Portkey's gateway",
          (_VIDEOS_ATTRIBUTE,), ("portkey",),
          'from portkey_ai import Portkey\nPortkey(api_key="k").videos.create(prompt="p", seconds="10")\n'),
    Shape("litellm", "function", "`litellm.video_generation`, `avideo_generation`, `video_extension`",
          "a Sora model, with or without a provider prefix (`openai/sora-2`)",
          "the prefix: `azure/` Azure OpenAI, `openai/` the official API unless `api_base=` is given",
          (r"video_generation|video_extension",), ("sora",),
          'import litellm\nlitellm.video_generation(model="openai/sora-2", prompt="p", seconds="10")\n'),
    Shape("http", "http", "a POST to a URL ending in `/videos` with requests, httpx or aiohttp",
          "a `prompt` field or a Sora model in the body", "the URL's host, or the session's `base_url`",
          (_VIDEOS_URL,), ("prompt", "sora"),
          'import requests\nrequests.post("https://api.openai.com/v1/videos", json={"prompt": "p", '
          '"seconds": "10"})\n'),
    Shape("optional-import", "sdk",
          "a client class imported in `try:` with a `None` fallback in `except ImportError:` (`OpenAI`, "
          "`AsyncOpenAI`, `AzureOpenAI`, Portkey), or `import openai` inside a function",
          "as `openai-sdk`: the name is the import wherever it is not `None`", "the client's `base_url`",
          (_VIDEOS_ATTRIBUTE,), ("openai", "sora"),
          'try:\n    from openai import OpenAI\nexcept ImportError:\n    OpenAI = None\n'
          'OpenAI().videos.create(prompt="p", seconds="10")\n'),
    Shape("indirect", "sdk",
          "`functools.partial(<client>.videos.create, ...)` and each call of the partial (its keywords win), "
          "`asyncio.to_thread(<client>.videos.create, ...)`, `loop.run_in_executor(None, <partial>)`",
          "as `openai-sdk`, on the partial's and the call's keywords together", "the client's `base_url`",
          (_VIDEOS_ATTRIBUTE,), ("openai", "sora"),
          'import functools\nfrom openai import OpenAI\nrender = functools.partial(OpenAI().videos.create, '
          'model="sora-2")\nrender(prompt="p", seconds="10")\n'),
    Shape("factory", "sdk",
          "`get_client().videos.create(...)` where the module's `get_client` returns a client or is annotated "
          "`-> OpenAI` (a cache decorator allowed)",
          "as `openai-sdk`", "the returned client's `base_url`; for an annotation, the file's clients",
          (_VIDEOS_ATTRIBUTE,), ("openai", "sora"),
          'from openai import OpenAI\ndef get_client():\n    return OpenAI()\n'
          'get_client().videos.create(prompt="p", seconds="10")\n'),
    Shape("builder", "sdk",
          "`**build_params()` / `json=build_payload(...)`: a function of the module with one `return` of a dict "
          "(possibly completed by `d[\"k\"] = v`), its parameters read from its callers",
          "as the call it is passed to", "as the call it is passed to",
          (_VIDEOS_ATTRIBUTE, _VIDEOS_URL), ("openai", "prompt", "sora"),
          'from openai import OpenAI\ndef params(seconds):\n    return {"prompt": "p", "seconds": seconds}\n'
          'OpenAI().videos.create(**params("10"))\n'),
    Shape("extra-body", "sdk", "`extra_body={...}` on an SDK call: its keys are sent over the keywords'",
          "as `openai-sdk`", "the client's `base_url`",
          (_VIDEOS_ATTRIBUTE,), ("openai", "sora"),
          'from openai import OpenAI\nOpenAI().videos.create(prompt="p", extra_body={"seconds": "10"})\n'),
    Shape("litellm-positional", "function",
          "litellm's functions with positional arguments: `video_generation(prompt, model, input_reference, "
          "seconds, size)`, `video_extension(video_id, prompt, seconds)`",
          "as `litellm`; `video_extension` without a model always (it talks to the OpenAI videos API)",
          "as `litellm`", (r"video_generation|video_extension",), ("sora", "litellm"),
          'import litellm\nlitellm.video_generation("p", "openai/sora-2", None, "10")\n'),
    Shape("http-forms", "http",
          "the body as `json=`, `data=` form fields, `files=` (`(None, value)` tuples or values), "
          "`content=json.dumps(...)`, `urllib.request.Request(url, data=json.dumps(body).encode())`; the URL "
          "from f-strings, `+`, `urljoin`, a session's `base_url`, `os.environ.get(NAME, default)`",
          "as `http`", "the URL's host; an environment variable's default is assumed (the reason says so)",
          (_VIDEOS_URL,), ("prompt", "sora"),
          'import json, urllib.request\nurllib.request.Request("https://api.openai.com/v1/videos", '
          'data=json.dumps({"prompt": "p", "seconds": "10"}).encode())\n'),
    Shape("remix", "http", "`<client>.videos.remix(video_id, prompt=...)` and a POST to `.../videos/<id>/remix`",
          "as `openai-sdk` / `http`; only `prompt` is checked", "as `openai-sdk` / `http`",
          (_VIDEOS_ATTRIBUTE, _REMIX_URL), ("openai", "prompt", "sora"),
          'import requests\nrequests.post(f"https://api.openai.com/v1/videos/{vid}/remix", json={"prompt": ""})\n',
          reports="SOR007"),
)

# --- what the SDK shapes read ---------------------------------------------------------

CREATE_METHODS = frozenset({"create", "create_and_poll"})
EXTEND_METHODS = frozenset({"extend"})
# ``remix(video_id, prompt=...)``: only its prompt is checked (and the server it goes to).
REMIX_METHODS = frozenset({"remix"})
SDK_METHODS = CREATE_METHODS | EXTEND_METHODS | REMIX_METHODS
RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})
# The keywords each SDK method takes (the openai SDK's signatures). A ``.videos.<method>(...)`` call whose
# receiver is not traced to a client and that passes another keyword is another library's (an ORM's
# ``project.videos.create(openai_id=...)``, a Vimeo client's ``name=``), never a Sora call.
EXTRA_BODY = "extra_body"  # merged into the request body by the SDK, over the keywords
_REQUEST_OPTIONS = ("extra_headers", "extra_query", EXTRA_BODY, "timeout")
_CREATE_KEYWORDS = ("prompt", "model", "seconds", "size", "input_reference") + _REQUEST_OPTIONS
SDK_KEYWORDS: dict[str, frozenset[str]] = {
    "create": frozenset(_CREATE_KEYWORDS),
    "create_and_poll": frozenset(_CREATE_KEYWORDS + ("poll_interval_ms",)),
    "extend": frozenset(("video", "prompt", "seconds") + _REQUEST_OPTIONS),
    "remix": frozenset(("video_id", "prompt") + _REQUEST_OPTIONS),
}
# Client classes by qualified name, and the name a profile reason shows.
CLIENT_CLASSES: dict[str, str] = {
    "openai.OpenAI": "OpenAI",
    "openai.AsyncOpenAI": "AsyncOpenAI",
    "openai.AzureOpenAI": "AzureOpenAI",
    "openai.AsyncAzureOpenAI": "AsyncAzureOpenAI",
    "portkey_ai.Portkey": "Portkey",
    "portkey_ai.AsyncPortkey": "AsyncPortkey",
}
CLIENT_SHORT_NAMES: frozenset[str] = frozenset(q.rsplit(".", 1)[1] for q in CLIENT_CLASSES)
# Modules whose own ``videos`` attribute is a client (``openai.videos.create``).
MODULE_CLIENTS = frozenset({"openai"})
# Methods of a client that return a client of the same kind (``client.with_options(timeout=60)``).
CLIENT_DERIVING_METHODS = frozenset({"with_options", "copy"})
BASE_URL_KEYWORDS = ("base_url", "azure_endpoint")
# Client classes whose default server (without base_url) is their vendor's gateway, not the openai SDK's.
OWN_DEFAULT_SERVER_CLIENTS = frozenset({"portkey_ai.Portkey", "portkey_ai.AsyncPortkey"})
# Servers that speak the OpenAI protocol but never serve Sora: a client built for one is not a
# Sora client, and a model family of theirs is never a Sora model.
NOT_SORA_HOSTS = ("generativelanguage.googleapis.com",)
NOT_SORA_MODEL_PREFIXES = ("veo",)


def is_sora_model(value: object) -> bool:
    return isinstance(value, str) and "sora" in value.lower() and not value.lower().startswith(NOT_SORA_MODEL_PREFIXES)


def is_other_model(value: object) -> bool:
    """A model of a family that is never Sora (``veo-3``)."""
    return isinstance(value, str) and value.lower().startswith(NOT_SORA_MODEL_PREFIXES)


# --- what the function shapes read ----------------------------------------------------

# qualified name -> the method it stands for ("create" or "extend")
FUNCTIONS: dict[str, str] = {
    "litellm.video_generation": "create",
    "litellm.avideo_generation": "create",
    "litellm.video_extension": "extend",
}
FUNCTION_SHORT_NAMES: frozenset[str] = frozenset(q.rsplit(".", 1)[1] for q in FUNCTIONS)
# The parameters litellm's functions take by position, in order (litellm/videos/main.py).
FUNCTION_POSITIONS: dict[str, tuple[str, ...]] = {
    "create": ("prompt", "model", "input_reference", "seconds", "size"),
    "extend": ("video_id", "prompt", "seconds"),
}
# litellm routes by a provider prefix; only these route to a Sora contract.
MODEL_PROVIDER_PREFIXES = ("openai/", "azure/")
# The client class each prefix stands for (its server: azure/ goes to Azure, openai/ to the official API
# unless a base URL is passed with one of LITELLM_BASE_URL_KEYWORDS).
MODEL_PROVIDER_CLIENTS: dict[str, str] = {"openai/": "OpenAI", "azure/": "AzureOpenAI"}
LITELLM_BASE_URL_KEYWORDS = ("api_base", "base_url")

# --- calls made indirectly -------------------------------------------------------------

# qualified name -> the index of the function it calls among its positional arguments
INDIRECT_CALLERS: dict[str, int] = {"functools.partial": 0, "asyncio.to_thread": 0}
# A method of any receiver (an event loop): ``loop.run_in_executor(executor, func, *args)``.
INDIRECT_METHODS: dict[str, int] = {"run_in_executor": 1}
INDIRECT_SHORT_NAMES: frozenset[str] = frozenset(
    [q.rsplit(".", 1)[1] for q in INDIRECT_CALLERS] + list(INDIRECT_METHODS))
PARTIAL = "functools.partial"

# --- what the HTTP shape reads ----------------------------------------------------------

# The last name of a callee that may send a request (``urllib.request.Request(url, data=...)`` builds one).
HTTP_VERBS = frozenset({"post", "request", "Request"})
BODY_KEYWORDS = ("json", "data", "files", "content")
URLLIB_REQUEST = "urllib.request.Request"
URL_JOINERS = frozenset({"urllib.parse.urljoin"})
MODULE_SENDERS = frozenset({
    "requests.post", "requests.request", "requests.api.post", "requests.api.request",
    "httpx.post", "httpx.request", "aiohttp.request", URLLIB_REQUEST,
})
SESSION_CLASSES = frozenset({
    "requests.Session", "requests.session", "requests.sessions.Session",
    "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession",
})
SESSION_SHORT_NAMES: frozenset[str] = frozenset(q.rsplit(".", 1)[1] for q in SESSION_CLASSES)

# --- the prefilter's tokens, derived from the shapes ------------------------------------

# Every call pattern starts with this word: a plain substring test rules most files out first.
CALL_WORD = "video"
# Each pattern once: most shapes share the SDK's and the URL's.
CALL_PATTERN = "|".join(f"(?:{p})" for p in dict.fromkeys(p for s in SHAPES for p in s.call_patterns))
EVIDENCE_WORDS: tuple[str, ...] = tuple(sorted({w for s in SHAPES for w in s.evidence_words}))
CALL_TEXT = re.compile(CALL_PATTERN)
CALL_BYTES = re.compile(CALL_PATTERN.encode())
