//! The endpoint detail page and its tabs, each loaded from its own chunk ([`crate::chunks`]).
//! Each tab is declared once in [`crate::routes::Tab`] (path segment, label); here its code is
//! bound to it, one line per tab, and from [`Tab::ALL`] come the route table ([`tab_routes`])
//! and the preloading ([`preload_all`]). A new tab that is not bound here does not compile.

use crate::chunks::lazy_view;
use crate::pages::endpoint_detail::{
    EndpointDetail, LogsTab, OverviewTab, PermissionsTab, SchemaTab,
};
use crate::routes::Tab;
use leptos::prelude::*;
use leptos::tachys::prelude::IntoMaybeErased;
use leptos::tachys::view::iterators::StaticVec;
use leptos_router::{path, NestedRoute, StaticSegment};

crate::split_view!(
    /// The endpoint detail page (header, actions, the tab links and the tab's outlet).
    detail_page,
    preload_detail,
    detail,
    || view! { <EndpointDetail/> }
);

/// Bind each tab to its view and chunk: `Tab => (view fn, preload fn, chunk, component)`.
/// Tabs naming the same chunk share it (the Overview comes with the page).
macro_rules! tab_chunks {
    ($($tab:ident => ($name:ident, $preload:ident, $module:ident, $view:ident);)*) => {
        $(crate::split_view!(
            #[doc = concat!("The ", stringify!($tab), " tab.")]
            $name,
            $preload,
            $module,
            || view! { <$view/> }
        );)*

        /// The view of `tab`, loaded from its chunk.
        fn tab_view(tab: Tab) -> AnyView {
            match tab {
                $(Tab::$tab => lazy_view($preload, $name).into_any(),)*
            }
        }

        /// Fetch the chunk of `tab` without rendering it.
        async fn preload_tab(tab: Tab) {
            match tab {
                $(Tab::$tab => {
                    let _ = $preload().await;
                })*
            }
        }
    };
}

tab_chunks! {
    Overview => (overview_tab, preload_overview, detail, OverviewTab);
    Logs => (logs_tab, preload_logs, logs, LogsTab);
    Permissions => (permissions_tab, preload_permissions, permissions, PermissionsTab);
    Schema => (schema_tab, preload_schema, schema, SchemaTab);
}

/// The route `/endpoints/:name`: the detail page, loaded from its chunk, and a child route per
/// tab at its path segment.
#[component(transparent)]
pub fn DetailRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    let tabs: Vec<_> = Tab::ALL
        .iter()
        .map(|&tab| NestedRoute::new(StaticSegment(tab.segment()), move || tab_view(tab)))
        .collect();
    NestedRoute::new(path!("/endpoints/:name"), || {
        lazy_view(preload_detail, detail_page)
    })
    .child(StaticVec::from(tabs))
    .into_maybe_erased()
}

/// Fetch the page's chunk and every tab's (see [`crate::chunks::preload_later`]).
pub fn preload_all() {
    leptos::task::spawn_local(async {
        let _ = preload_detail().await;
        for &tab in Tab::ALL {
            preload_tab(tab).await;
        }
    });
}
