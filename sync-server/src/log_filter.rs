//! Which log lines the server writes: `RUST_LOG` (default `info`), with
//! automerge's spans kept quiet unless `RUST_LOG` names automerge.
//!
//! automerge 0.12 wraps some functions in `#[tracing::instrument]` spans
//! at the INFO level whose fields are its arguments, formatted with
//! `Debug` whenever the span is enabled — among them `load_changes`,
//! which every received sync message goes through, with the document's
//! whole change graph as a field. Under the default `info` the server
//! spent a tenth of its CPU formatting change graphs nobody reads, more
//! the longer a document grew. `automerge=warn` disables those spans
//! (its warnings still show).

/// The filter directives for `rust_log` (the `RUST_LOG` variable, if set).
pub fn directives(rust_log: Option<&str>) -> String {
    let base = match rust_log.map(str::trim) {
        Some(set) if !set.is_empty() => set,
        _ => "info",
    };
    if base.contains("automerge") {
        base.to_owned()
    } else {
        format!("{base},automerge=warn")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automerge_spans_are_quiet_unless_asked_for() {
        assert_eq!(directives(None), "info,automerge=warn");
        assert_eq!(directives(Some("")), "info,automerge=warn");
        assert_eq!(
            directives(Some("debug,sync_server=trace")),
            "debug,sync_server=trace,automerge=warn"
        );
        assert_eq!(directives(Some("automerge=trace")), "automerge=trace");
    }
}
