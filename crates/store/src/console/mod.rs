//! What the police console reads: the triage queue, a report as an officer sees it,
//! its recorded steps and its statutory clock, and rings.

mod queue;
pub(crate) mod ranking;
pub(crate) mod report;
mod ring_view;
mod scope;

pub use queue::*;
pub use ranking::RANKING_TTL;
pub use report::*;
pub use ring_view::*;
pub use scope::*;
