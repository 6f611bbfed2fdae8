//! Logging and tracing set-up shared by the three binaries, and the W3C trace-context carrier
//! that lets a job continue the trace of the request that caused it.
//!
//! Spans carry identifiers (`tenant.id`, `job.name`, `job.key`), never personal data: no email
//! address or person's name is ever recorded in a field or message.

use std::collections::HashMap;

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Keeps the tracer provider alive; flushes pending spans when dropped or shut down.
#[derive(Debug, Default)]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl TelemetryGuard {
    /// Flushes and stops the exporter. Export failures are only logged by OpenTelemetry, so
    /// this is the last chance to deliver spans before the process exits.
    pub fn shutdown(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(err) = provider.shutdown()
        {
            eprintln!("telemetry: could not flush spans at exit: {err}");
        }
    }
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Installs the global subscriber: human-readable logs filtered by `RUST_LOG` (default `info`),
/// plus OTLP/HTTP export of spans when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
pub fn init(service_name: &'static str) -> anyhow::Result<TelemetryGuard> {
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let filter = || {
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,apalis=warn"))
    };
    let fmt = tracing_subscriber::fmt::layer().with_target(true).with_filter(filter());

    let endpoint = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT").ok().filter(|v| !v.trim().is_empty());
    let Some(_endpoint) = endpoint else {
        tracing_subscriber::registry().with(fmt).try_init()?;
        return Ok(TelemetryGuard::default());
    };
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) itself.
    let exporter = opentelemetry_otlp::SpanExporter::builder().with_http().build()?;
    let provider = tracer_provider(service_name, exporter);
    let otel = tracing_opentelemetry::layer().with_tracer(provider.tracer(service_name)).with_filter(filter());
    tracing_subscriber::registry().with(fmt).with(otel).try_init()?;
    opentelemetry::global::set_tracer_provider(provider.clone());
    Ok(TelemetryGuard { provider: Some(provider) })
}

/// A tracer provider that batches spans into `exporter`, tagged with the service name.
pub fn tracer_provider<E>(service_name: &'static str, exporter: E) -> SdkTracerProvider
where
    E: opentelemetry_sdk::trace::SpanExporter + 'static,
{
    let resource = opentelemetry_sdk::Resource::builder().with_service_name(service_name).build();
    SdkTracerProvider::builder().with_resource(resource).with_batch_exporter(exporter).build()
}

/// The trace context of the current span, as W3C headers (`traceparent`, `tracestate`), to be
/// stored with an enqueued job. Empty when no trace is being recorded.
pub fn current_trace_carrier() -> HashMap<String, String> {
    let context = tracing::Span::current().context();
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&context, &mut carrier);
    carrier
}

/// Makes `span` a child of the trace stored in `carrier`, so a job continues its request's trace.
pub fn continue_trace(span: &tracing::Span, carrier: &HashMap<String, String>) {
    if carrier.is_empty() {
        return;
    }
    let parent = TraceContextPropagator::new().extract(carrier);
    // An error here only means the span is disabled (filtered out): nothing to link.
    let _ = span.set_parent(parent);
}

/// Runs a binary's work with telemetry set up, flushes spans at the end, and turns the outcome
/// into the process's exit code (errors printed once, with their causes).
pub async fn run_service(
    service_name: &'static str,
    work: impl std::future::Future<Output = anyhow::Result<()>>,
) -> std::process::ExitCode {
    let mut telemetry = match init(service_name) {
        Ok(guard) => guard,
        Err(err) => {
            eprintln!("error: telemetry: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = work.await;
    telemetry.shutdown();
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
