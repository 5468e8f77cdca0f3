//! End-to-end tests: they run the binary on generated or shipped inputs.

mod browser;
mod build;
mod check;
mod clerk;
mod corpus;
mod faults;
mod filing;
mod history;
mod hostile;
mod measure;
mod odd;
mod odd_third;
mod portal;
mod portal_hostile;
mod report;
mod return_loop;
mod schema;
mod snapshots;
mod support;
mod template;
mod workflow;
mod year;
