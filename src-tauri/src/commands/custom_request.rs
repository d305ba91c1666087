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
    let rec = state.recorder().await?;
    let pairs = |v: Vec<NameValue>| v.into_iter().map(|p| (p.name, p.value)).collect();
    let input = directory::custom::CustomInput {
        method: request.method,
        path: request.path,
        query: pairs(request.query),
        headers: pairs(request.headers),
        body: request.body,
        follow_pages: request.follow_pages,
    };
    let out = directory::custom::send(&rec.client, &input).await;
    let (method, path) = (input.method.clone(), input.path.clone());
    rec.record(
        &out,
        |_| journal::capture::custom_request(&method, &path),
        || {
            let action = journal::Action::CustomRequest {
                method: method.to_uppercase(),
                path: path.clone(),
            };
            (action, journal::capture::typed(journal::TargetKind::Other, &path))
        },
    )
    .await;
    let out = out?;
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
