//! Telemetry: the job a request enqueues continues the request's trace in the worker, and
//! spans carry the tenant and the job's name, never an email address. In its own test binary
//! because it installs the process-wide tracing subscriber.

use opentelemetry::trace::{SpanId, TracerProvider as _};
use opentelemetry::{KeyValue, Value};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::layer::SubscriberExt;

use netinvet_tests::{Backend, DEMO_PASSWORD, TestApp, post_form, sign_in};

fn attribute<'a>(span: &'a SpanData, key: &str) -> Option<&'a Value> {
    span.attributes.iter().find(|kv: &&KeyValue| kv.key.as_str() == key).map(|kv| &kv.value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_continues_the_trace_of_the_request_that_enqueued_it() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("info"))
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("netinvet-test")));
    tracing::subscriber::set_global_default(subscriber).expect("first subscriber of this test binary");

    let app = TestApp::new(Backend::Sqlite).await;
    let admin = app.client();
    sign_in(&admin, "admin.lyon@demo.netinvet.example", DEMO_PASSWORD).await;
    post_form(
        &admin,
        "/c/lycee-lyon/",
        "/c/lycee-lyon/invitations",
        &[("email", "traced@example.org"), ("role", "learner"), ("language", "en")],
    )
    .await
    .assert_status_see_other();
    app.run_jobs().await;
    let _ = provider.force_flush();

    let spans = exporter.get_finished_spans().expect("spans recorded");
    let request = spans
        .iter()
        .find(|s| {
            s.name == "http.request"
                && attribute(s, "http.route").is_some_and(|v| v.as_str() == "/c/{slug}/invitations")
        })
        .expect("the invitation request has a span");
    let job = spans
        .iter()
        .find(|s| s.name == "job" && attribute(s, "job.name").is_some_and(|v| v.as_str() == "email.send"))
        .expect("the email job has a span");
    assert_eq!(job.span_context.trace_id(), request.span_context.trace_id(), "the job continues the request's trace");
    assert_ne!(job.parent_span_id, SpanId::INVALID, "the job span has a parent in that trace");

    let centre_id = attribute(job, "tenant.id").expect("the job span carries the tenant").as_str().into_owned();
    assert!(!centre_id.is_empty(), "tenant.id is set on the job span");
    assert_eq!(
        attribute(request, "tenant.id").map(|v| v.as_str().into_owned()),
        Some(centre_id),
        "the request span carries the same tenant"
    );
    for span in &spans {
        for kv in &span.attributes {
            let text = kv.value.as_str();
            assert!(!text.contains('@'), "span {} records an email address in {}", span.name, kv.key);
        }
    }
}
