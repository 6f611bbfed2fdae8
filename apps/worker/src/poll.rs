//! How the worker polls the queue: on a fixed interval, re-arming its timer on every tick.
//!
//! apalis-core 1.0's `IntervalStrategy` replaces its timer when it fires without polling the new
//! one, so the new deadline is never registered with the task's waker. When the fetch that
//! follows finds nothing, the worker parks and sleeps until its next heartbeat (30 s): a job
//! queued in that window waits up to a minute. This strategy polls the new timer at once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use apalis_core::backend::ext::poll_strategy::{PollSnapshot, PollStrategy};
use tokio::time::{Instant, Sleep};

#[derive(Debug)]
pub(crate) struct EveryInterval {
    period: Duration,
    timer: Pin<Box<Sleep>>,
}

impl EveryInterval {
    pub(crate) fn new(period: Duration) -> Self {
        Self { period, timer: Box::pin(tokio::time::sleep(period)) }
    }
}

impl PollStrategy for EveryInterval {
    fn poll_drive(&mut self, cx: &mut Context<'_>, _snapshot: &PollSnapshot) -> Poll<Option<()>> {
        if self.timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        self.timer.as_mut().reset(Instant::now() + self.period);
        // Registers the next deadline with this task's waker before reporting the tick.
        let _ = self.timer.as_mut().poll(cx);
        Poll::Ready(Some(()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use futures::task::{ArcWake, waker};

    use super::*;

    struct Woken(AtomicBool);

    impl ArcWake for Woken {
        fn wake_by_ref(this: &Arc<Self>) {
            this.0.store(true, Ordering::SeqCst);
        }
    }

    /// The worker polls the strategy, gets a tick, finds the queue empty and parks: nothing polls
    /// the strategy again until something wakes the task. The next tick must be that something.
    #[tokio::test]
    async fn a_tick_arms_the_wake_up_for_the_next_one() {
        let period = Duration::from_millis(20);
        let mut strategy = EveryInterval::new(period);
        let snapshot = PollSnapshot::default();
        let woken = Arc::new(Woken(AtomicBool::new(false)));
        let waker = waker(woken.clone());
        let mut cx = Context::from_waker(&waker);
        while strategy.poll_drive(&mut cx, &snapshot).is_pending() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        woken.0.store(false, Ordering::SeqCst);
        tokio::time::sleep(period * 5).await;
        assert!(woken.0.load(Ordering::SeqCst), "the parked worker was never woken for the next tick");
    }
}
