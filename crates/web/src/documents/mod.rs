//! Documents and drawings made on the server: the bank-hold letter (DOCX and JSON),
//! the bulletin's leaflet (PDF), charts and the ring graph (SVG). They take plain
//! values and return bytes or markup; handlers in `routes/` and `console/` serve them.

pub mod chart;
pub mod graph;
pub mod leaflet;
pub mod letter;
pub mod pdf_pages;
pub mod periodic;
