use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{CustomRequestForm, CustomResponseView, NameValue};

/// Custom API Action: any Graph v1.0 request on the signed-in endpoint.
#[tauri::command]
#[specta::specta]
pub async fn custom_request(
    state: State<'_, AppState>,
    request: CustomRequestForm,
) -> Result<CustomResponseView, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let pairs = |v: Vec<NameValue>| v.into_iter().map(|p| (p.name, p.value)).collect();
    let input = directory::custom::CustomInput {
        method: request.method,
        path: request.path,
        query: pairs(request.query),
        headers: pairs(request.headers),
        body: request.body,
        follow_pages: request.follow_pages,
    };
    let out = directory::custom::send(&client, &input).await?;
    Ok(CustomResponseView {
        status: out.status,
        status_text: out.status_text,
        headers: out
            .headers
            .into_iter()
            .map(|(name, value)| NameValue { name, value })
            .collect(),
        body: out.body,
        pages: out.pages,
        items: out.items,
        more_pages: out.more_pages,
    })
}
