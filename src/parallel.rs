//! Work shared out over a few threads: each takes the next index until none is left, so a slow
//! item holds up only its own thread; results come back in index order whatever the timing,
//! which keeps every output byte-identical from run to run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `f` of every item on `threads` threads (at least one), in the items' order.
pub fn map<I: Sync, T: Send>(items: &[I], threads: usize, f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let n = items.len();
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(n));
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(item);
                // A poisoned lock means another worker panicked; scope re-raises that panic.
                if let Ok(mut d) = done.lock() {
                    d.push((i, result));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order_on_any_number_of_threads() {
        for threads in [0, 1, 2, 7, 100] {
            // Later indexes finish first: the order must not follow the timing.
            let items: Vec<u64> = (0..20).collect();
            let out = map(&items, threads, |&i| {
                std::thread::sleep(std::time::Duration::from_micros((20 - i) * 50));
                i * i
            });
            assert_eq!(out, (0..20).map(|i| i * i).collect::<Vec<_>>(), "{threads}");
        }
        assert!(map(&[] as &[u8], 4, |&i| i).is_empty());
    }
}
