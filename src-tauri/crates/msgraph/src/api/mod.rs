//! The card operations, grouped by resource. Each function sends exactly the request cards.md
//! gives for its card, through `Client::execute`.

pub mod contacts;
pub mod custom;
pub mod deleted;
pub mod directory;
pub mod groups;
pub mod users;
