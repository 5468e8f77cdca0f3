//! Work shared out over a few threads: each takes the next index until none is left, so a slow
//! item holds up only its own thread; results come back in index order whatever the timing,
//! which keeps every output byte-identical from run to run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

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

/// An amount of memory that work in flight may claim at once, whatever the number of threads:
/// a worker takes a [`Permit`] for what its item will cost before it starts, and waits while
/// the others hold too much. A claim larger than the whole budget is cut to the budget, so it
/// runs alone rather than never.
pub struct Budget {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// A claim on a [`Budget`], given back when dropped.
pub struct Permit<'a> {
    budget: &'a Budget,
    amount: u64,
}

impl Budget {
    pub const fn new(capacity: u64) -> Budget {
        Budget {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    pub fn take(&self, amount: u64) -> Permit<'_> {
        let amount = amount.min(self.capacity);
        // A worker that panicked while holding the lock left a valid count: keep using it.
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used + amount > self.capacity {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += amount;
        Permit {
            budget: self,
            amount,
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.amount;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_never_has_more_claimed_than_it_holds() {
        let budget = Budget::new(100);
        let peak = AtomicUsize::new(0);
        let now = AtomicUsize::new(0);
        let items: Vec<u64> = (0..40).map(|i| [30, 60, 500][i % 3]).collect();
        map(&items, 8, |&cost| {
            let permit = budget.take(cost);
            let claimed =
                now.fetch_add(permit.amount as usize, Ordering::SeqCst) + permit.amount as usize;
            peak.fetch_max(claimed, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_micros(200));
            now.fetch_sub(permit.amount as usize, Ordering::SeqCst);
        });
        assert!(peak.load(Ordering::SeqCst) <= 100);
        assert_eq!(*budget.used.lock().unwrap(), 0);
    }

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
