//! Independent work split over two cores, results in the order of the input.
//!
//! rudder runs on CI machines of two or more cores, and its large jobs (loading an
//! umbrella's subcharts, rendering hundreds of templates, reading the documents they
//! print) are lists of independent parts. Splitting such a list in two, the second half
//! on one helper thread, lowers the wall time without a thread pool or a scheduler,
//! and keeps the output exactly as one thread would give it: the halves are joined in
//! order, so the first error in input order is still the first one seen. Small jobs
//! stay on the calling thread, where a thread would cost more than it saves.

/// Runs `work` over `items`: in one call on this thread when the items weigh less
/// than `from` in all (or are fewer than two), else over the first half (by weight)
/// here and the second half on a helper thread, and returns the two results in order.
/// `work` sees each half as a whole (so it can keep state across its items, and stop
/// at its first error). The helper has the command thread's stack, so anything the
/// limits allow fits; when it cannot start, this thread does the second half too. A
/// panic on the helper is resumed here.
pub fn split_in_two<T, R, W, F>(items: Vec<T>, weight: W, from: usize, work: F) -> Vec<R>
where
    T: Send,
    R: Send,
    W: Fn(&T) -> usize,
    F: Fn(Vec<T>) -> Vec<R> + Sync,
{
    let total: usize = items.iter().map(&weight).sum();
    if total < from || items.len() < 2 {
        return work(items);
    }
    let mut seen = 0;
    let half = items
        .iter()
        .position(|item| {
            seen += weight(item);
            seen >= total / 2
        })
        .map_or(items.len() - 1, |k| k + 1)
        .clamp(1, items.len() - 1);
    let mut first = items;
    let second = first.split_off(half);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let work = &work;
        let helper = std::thread::Builder::new()
            .name("rudder-helper".into())
            .stack_size(crate::limits::COMMAND_STACK)
            .spawn_scoped(s, move || {
                // Receives its half only once started: a helper that cannot start
                // leaves the half with this thread.
                rx.recv().map(work).unwrap_or_default()
            });
        match helper {
            Ok(helper) => {
                // A half the helper could not take (it is gone) is done here.
                let leftover = tx.send(second).err().map(|unsent| unsent.0);
                let mut out = work(first);
                out.extend(
                    helper
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                );
                out.extend(leftover.map(work).unwrap_or_default());
                out
            }
            Err(_) => {
                let mut out = work(first);
                out.extend(work(second));
                out
            }
        }
    })
}

/// `f` of each item in order, up to and including the first error: the usual `work`
/// of [`split_in_two`] for a list whose first failure ends the job.
pub fn until_error<T, R, E>(
    items: Vec<T>,
    mut f: impl FnMut(T) -> Result<R, E>,
) -> Vec<Result<R, E>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let result = f(item);
        let failed = result.is_err();
        out.push(result);
        if failed {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_split_or_not() {
        let items: Vec<usize> = (0..100).collect();
        let double = |part: Vec<usize>| part.into_iter().map(|i| i * 2).collect::<Vec<_>>();
        let want: Vec<usize> = (0..100).map(|i| i * 2).collect();
        assert_eq!(split_in_two(items.clone(), |_| 1, 1000, double), want);
        assert_eq!(split_in_two(items, |_| 1, 10, double), want);
    }

    #[test]
    fn large_work_is_split_by_weight_and_small_work_is_not() {
        let calls = std::sync::Mutex::new(Vec::new());
        let record = |part: Vec<usize>| {
            calls.lock().unwrap().push(part.clone());
            part
        };
        // One heavy item then many light ones: the first half is the heavy one alone.
        let items = vec![50, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(split_in_two(items.clone(), |w| *w, 20, record), items);
        let mut parts = calls.lock().unwrap().clone();
        parts.sort();
        assert_eq!(parts, vec![vec![1; 10], vec![50]]);
        calls.lock().unwrap().clear();
        assert_eq!(split_in_two(items.clone(), |w| *w, 1000, record), items);
        assert_eq!(*calls.lock().unwrap(), vec![items]);
    }

    #[test]
    fn until_error_stops_after_the_first_error() {
        let seen = std::cell::RefCell::new(Vec::new());
        let out = until_error(vec![1, 2, 3, 4], |i| {
            seen.borrow_mut().push(i);
            if i == 2 { Err(i) } else { Ok(i) }
        });
        assert_eq!(out, vec![Ok(1), Err(2)]);
        assert_eq!(*seen.borrow(), vec![1, 2]);
    }

    #[test]
    fn a_panic_on_the_helper_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            split_in_two(
                (0..10).collect::<Vec<usize>>(),
                |_| 1,
                2,
                |part: Vec<usize>| {
                    assert!(!part.contains(&9), "helper half");
                    part
                },
            )
        });
        assert!(caught.is_err());
    }
}
