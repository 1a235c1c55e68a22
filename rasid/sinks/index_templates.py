"""Index templates for articles, threats and alerts: Arabic analysis, keyword entities, threat fields, time fields.

Each template covers the alias name itself and its versioned indices (`rasid-articles`, `rasid-articles-v1`, …;
see `index_aliases`). `rasid es setup` (re)writes them; the sink only installs what is missing or outdated, so
it never undoes a choice made by `rasid es setup` (an ILM policy, shard count).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from rasid.settings import Settings
from rasid.sinks.index_aliases import ensure_aliases
from rasid.sinks.mapping_updates import update_mappings

log = logging.getLogger("rasid.sink")

# Bump when the mappings change, so the sink knows an installed template is outdated.
TEMPLATE_VERSION = 3
TEMPLATE_PRIORITY = 100
MANAGED_BY = "rasid"

# Lucene's Arabic chain (what Elasticsearch's `arabic` analyzer does), as a custom analyzer so the
# unstemmed `.exact` subfield can share its normalisation.
STOP_FILTER = {"type": "stop", "stopwords": "_arabic_"}
STEMMED_CHAIN = ("lowercase", "decimal_digit", "rasid_arabic_stop", "arabic_normalization", "arabic_stem")
EXACT_CHAIN = ("lowercase", "decimal_digit", "arabic_normalization")
PROBED_FILTERS = ("lowercase", "decimal_digit", "arabic_normalization", "arabic_stem")

TemplateStatus = Literal["created", "updated", "unchanged", "kept"]


@dataclass(frozen=True)
class ArabicAnalysis:
    """Which analyzers the text fields use on this server, and what it lacked."""

    analysis: dict[str, Any] | None
    analyzer: str
    exact: str
    missing: tuple[str, ...] = ()

    @property
    def full(self) -> bool:
        return not self.missing

    def warning(self, url: str) -> str | None:
        if self.full:
            return None
        return (
            f"Elasticsearch at {url} lacks the token filter(s) {', '.join(self.missing)}: text fields use the "
            f"'{self.analyzer}' analyzer instead of the rasid_arabic chain, and the unstemmed '.exact' subfield uses "
            f"'{self.exact}' ({' + '.join(self._exact_chain()) or 'no filters'}); searches may match fewer word forms"
        )

    def _exact_chain(self) -> list[str]:
        if not self.analysis:
            return []
        return list(self.analysis["analyzer"].get("rasid_arabic_exact", {}).get("filter", []))


@dataclass(frozen=True)
class IndexOptions:
    """Choices `rasid es setup` makes for every index (the sink uses the defaults)."""

    shards: int = 1
    # None: one replica where the cluster has a second data node, none on a single node (auto_expand_replicas).
    replicas: int | None = None
    lifecycle_policy: str | None = None
    # Set only when rollover is on: the alias ILM rolls over (see deploy/README.md for why it is off by default).
    rollover: bool = False
    # Analysts expect an article searchable within a second of its arrival; Elasticsearch's default is 1s alone.
    refresh_interval: str = "250ms"


@dataclass
class TemplatesReport:
    analysis: ArabicAnalysis
    templates: dict[str, TemplateStatus] = field(default_factory=dict)


def _text(analyzer: str, exact: str) -> dict[str, Any]:
    return {"type": "text", "analyzer": analyzer, "fields": {"exact": {"type": "text", "analyzer": exact}}}


def _span() -> dict[str, Any]:
    return {"properties": {"text": {"type": "keyword"}, "start": {"type": "integer"}, "end": {"type": "integer"}}}


KEYWORD: dict[str, Any] = {"type": "keyword"}


def article_mappings(analyzer: str, exact: str) -> dict[str, Any]:
    return {
        "dynamic": False,
        "properties": {
            "schema_version": KEYWORD,
            "id": KEYWORD,
            "url": KEYWORD,
            "canonical_url": KEYWORD,
            "feed_url": KEYWORD,
            "source": KEYWORD,
            "title": _text(analyzer, exact),
            "summary": _text(analyzer, exact),
            "content": _text(analyzer, exact),
            "published_at": {"type": "date"},
            "published_at_estimated": {"type": "boolean"},
            "fetched_at": {"type": "date"},
            "enriched_at": {"type": "date"},
            "language": KEYWORD,
            "authors": KEYWORD,
            "tags": KEYWORD,
            "nlp_version": KEYWORD,
            "entities": {"properties": {k: KEYWORD for k in ("per", "org", "loc", "misc")}},
            "entity_count": {"type": "integer"},
            # Mentions and threat statements as one JSON string, stored only (see article_document).
            "enrichment": {"type": "keyword", "index": False, "doc_values": False},
            "threat_count": {"type": "integer"},
            "max_severity": {"type": "integer"},
            # Pre-analysed by Rasid (Lucene Arabic chain in Python): whitespace-separated stems.
            "search_terms": {"type": "text", "analyzer": "whitespace"},
        },
    }


def threat_mappings(analyzer: str, exact: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "schema_version": KEYWORD,
        "article_id": KEYWORD,
        "source": KEYWORD,
        "url": KEYWORD,
        "title": _text(analyzer, exact),
        "text": _text(analyzer, exact),
        "field": KEYWORD,
        "published_at": {"type": "date"},
        "enriched_at": {"type": "date"},
        "negated": {"type": "boolean"},
        "severity": {"type": "integer"},
        "severity_rule": KEYWORD,
        "category": KEYWORD,
        "cameo_code": KEYWORD,
        "plover_code": KEYWORD,
        "start": {"type": "integer"},
        "end": {"type": "integer"},
    }
    for part in ("trigger", "actor", "target", "action", "condition", "reported_by"):
        props[part] = KEYWORD
        props[f"{part}_span"] = _span()
    # Who the actor and target name, as the entities' aggregation keys ("threats by actor" panels).
    props["actor_names"] = KEYWORD
    props["target_names"] = KEYWORD
    return {"dynamic": False, "properties": props}


def alert_mappings(analyzer: str, exact: str) -> dict[str, Any]:
    return {
        "dynamic": False,
        "properties": {
            "schema_version": KEYWORD,
            "alert_id": KEYWORD,
            "rule_id": KEYWORD,
            "rule_name": KEYWORD,
            "article_id": KEYWORD,
            "severity": {"type": "integer"},
            "created_at": {"type": "date"},
            "title": _text(analyzer, exact),
            "url": KEYWORD,
            "matched": {"type": "object", "enabled": False},
        },
    }


def _filter_known(es: Elasticsearch, token_filter: str | dict[str, Any]) -> bool:
    try:
        es.indices.analyze(tokenizer="standard", filter=[token_filter], text="العربية")
        return True
    except ApiError as exc:
        if exc.status_code == 400:
            return False
        raise


def _analyzer_known(es: Elasticsearch, analyzer: str) -> bool:
    try:
        es.indices.analyze(analyzer=analyzer, text="العربية")
        return True
    except ApiError as exc:
        if exc.status_code == 400:
            return False
        raise


def arabic_analysis(es: Elasticsearch) -> ArabicAnalysis:
    """The best Arabic analysis this server can do: the full custom chain, or a fallback per missing filter."""
    missing = tuple(name for name in PROBED_FILTERS if not _filter_known(es, name))
    if not _filter_known(es, STOP_FILTER):
        missing += ("stop(_arabic_)",)
    if not missing:
        return ArabicAnalysis(
            analysis={
                "filter": {"rasid_arabic_stop": STOP_FILTER},
                "analyzer": {
                    "rasid_arabic": {"type": "custom", "tokenizer": "standard", "filter": list(STEMMED_CHAIN)},
                    "rasid_arabic_exact": {"type": "custom", "tokenizer": "standard", "filter": list(EXACT_CHAIN)},
                },
            },
            analyzer="rasid_arabic",
            exact="rasid_arabic_exact",
        )
    # The built-in `arabic` analyzer stems and normalises in its own way: better than no stemming at all.
    analyzer = "arabic" if _analyzer_known(es, "arabic") else "standard"
    exact_chain = [name for name in EXACT_CHAIN if name not in missing]
    if not exact_chain:
        return ArabicAnalysis(analysis=None, analyzer=analyzer, exact="standard", missing=missing)
    analysis = {"analyzer": {"rasid_arabic_exact": {"type": "custom", "tokenizer": "standard", "filter": exact_chain}}}
    return ArabicAnalysis(analysis=analysis, analyzer=analyzer, exact="rasid_arabic_exact", missing=missing)


def analysis_supported(es: Elasticsearch) -> bool:
    """Does this server know every token filter of the rasid_arabic chain?"""
    return arabic_analysis(es).full


def index_patterns(alias: str) -> list[str]:
    """The alias name itself (an index auto-created before any setup still gets the mappings) and its versions."""
    return [alias, f"{alias}-v*"]


def template_body(
    alias: str, mappings: dict[str, Any], analysis: ArabicAnalysis, options: IndexOptions
) -> dict[str, Any]:
    index: dict[str, Any] = {"number_of_shards": options.shards, "refresh_interval": options.refresh_interval}
    if options.replicas is None:
        index["auto_expand_replicas"] = "0-1"
    else:
        index["number_of_replicas"] = options.replicas
    if options.lifecycle_policy:
        lifecycle: dict[str, Any] = {"name": options.lifecycle_policy}
        if options.rollover:
            lifecycle["rollover_alias"] = alias
        index["lifecycle"] = lifecycle
    if analysis.analysis:
        index["analysis"] = analysis.analysis
    template = {"settings": {"index": index}, "mappings": mappings}
    fingerprint = hashlib.sha256(json.dumps([index_patterns(alias), template], sort_keys=True).encode()).hexdigest()
    return {
        "index_patterns": index_patterns(alias),
        "priority": TEMPLATE_PRIORITY,
        "version": TEMPLATE_VERSION,
        "template": template,
        "_meta": {
            "managed_by": MANAGED_BY,
            "description": f"Rasid: {alias} and its versioned indices ({alias}-vN)",
            "analysis": "full" if analysis.full else "fallback",
            "missing_filters": list(analysis.missing),
            "fingerprint": fingerprint[:16],
        },
    }


def _installed(es: Elasticsearch, name: str) -> dict[str, Any] | None:
    try:
        found = es.indices.get_index_template(name=name)
    except NotFoundError:
        return None
    templates = found.get("index_templates", [])
    return templates[0]["index_template"] if templates else None


def put_template(es: Elasticsearch, name: str, body: dict[str, Any], only_missing: bool) -> TemplateStatus:
    """Write one template unless the same one (by fingerprint) is there; with `only_missing`, keep any current one."""
    current = _installed(es, name)
    if current is not None:
        meta = current.get("_meta") or {}
        if meta.get("fingerprint") == body["_meta"]["fingerprint"]:
            return "unchanged"
        if only_missing and meta.get("managed_by") == MANAGED_BY and int(current.get("version") or 0) >= TEMPLATE_VERSION:
            return "kept"
    es.indices.put_index_template(name=name, **body)
    return "created" if current is None else "updated"


def installed_options(es: Elasticsearch, settings: Settings) -> IndexOptions:
    """The options the installed articles template was written with (defaults when there is none)."""
    current = _installed(es, settings.index_articles)
    if current is None:
        return IndexOptions()
    index = current.get("template", {}).get("settings", {}).get("index", {})
    replicas = index.get("number_of_replicas")
    lifecycle = index.get("lifecycle", {})
    return IndexOptions(
        shards=int(index.get("number_of_shards", 1)),
        replicas=None if replicas is None else int(replicas),
        lifecycle_policy=lifecycle.get("name"),
        rollover=bool(lifecycle.get("rollover_alias")),
        refresh_interval=str(index.get("refresh_interval", IndexOptions.refresh_interval)),
    )


def install_index_templates(
    es: Elasticsearch, settings: Settings, options: IndexOptions | None = None, only_missing: bool = False
) -> TemplatesReport:
    """Install or update the three templates; idempotent (an identical template is not rewritten)."""
    options = options or IndexOptions()
    analysis = arabic_analysis(es)
    warning = analysis.warning(settings.elasticsearch_url)
    if warning:
        # Expected of the embedded server, and made up for there (the sink indexes the Lucene-analysed terms
        # of every article as `search_terms`): a warning on every `rasid run` would only alarm.
        log.log(logging.INFO if settings.embedded else logging.WARNING, "%s", warning)
    report = TemplatesReport(analysis)
    # Each template is named after its alias, so differently named deployments never collide.
    for alias, mapping in alias_mappings(settings, analysis).items():
        report.templates[alias] = put_template(es, alias, template_body(alias, mapping, analysis, options), only_missing)
    return report


def alias_mappings(settings: Settings, analysis: ArabicAnalysis) -> dict[str, dict[str, Any]]:
    """Each alias's mappings, with the text analysis this server can do."""
    analyzer, exact = analysis.analyzer, analysis.exact
    return {
        settings.index_articles: article_mappings(analyzer, exact),
        settings.index_threats: threat_mappings(analyzer, exact),
        settings.index_alerts: alert_mappings(analyzer, exact),
    }


def install_templates(es: Elasticsearch, settings: Settings) -> bool:
    """What the sink runs before indexing: templates that are missing or outdated, and the write aliases; an outdated
    template's new fields are added to the indices already behind its alias (as `rasid es setup` does), so that a
    new version's fields (e.g. `actor_names`) are searchable without a manual step.

    Returns False when the server lacked an Arabic token filter and the fallback analysis was used.
    """
    report = install_index_templates(es, settings, only_missing=True)
    wanted = alias_mappings(settings, report.analysis)
    for state in ensure_aliases(es, settings):
        if report.templates.get(state.alias) == "updated" and not state.created_index:
            outcome = update_mappings(es, state, wanted[state.alias])
            log.info("template %s updated; its indices: %s", state.alias, outcome)
    return report.analysis.full
