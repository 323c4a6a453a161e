//! The endpoint detail page and its tabs, each loaded from its own chunk ([`crate::chunks`]).
//! Each tab is declared once in [`crate::links::Tab`] (path segment, label); here its code is
//! bound to it, one line per tab, which makes the route table ([`DetailRoutes`]) and the
//! preloading ([`preload_all`]). A tab declared but not bound here does not compile.

use crate::chunks::lazy_view;
use crate::links::{Tab, EDIT_SEGMENT};
use crate::pages::endpoint_detail::{
    EditPage, EndpointDetail, LogsTab, OverviewTab, PermissionsTab, SchemaTab,
};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::{path, StaticSegment};

crate::split_view!(
    /// The endpoint detail page (header, actions, the tab links and the tab's outlet).
    detail_page,
    preload_detail,
    detail,
    || view! { <EndpointDetail/> }
);

crate::split_view!(
    /// The config editor (`/endpoints/{name}/edit`: form, plan, apply, roll back, export).
    edit_page,
    preload_edit,
    edit,
    || view! { <EditPage/> }
);

/// Bind each tab to its view and chunk: `Tab => (view fn, preload fn, chunk, component)`.
/// Tabs naming the same chunk share it (the Overview comes with the page). Makes the split
/// points, [`DetailRoutes`] (one child route per tab) and [`preload_all`].
macro_rules! tab_chunks {
    ($($tab:ident => ($name:ident, $preload:ident, $module:ident, $view:ident);)*) => {
        $(crate::split_view!(
            #[doc = concat!("The ", stringify!($tab), " tab.")]
            $name,
            $preload,
            $module,
            || view! { <$view/> }
        );)*

        /// The route `/endpoints/:name`: the detail page, loaded from its chunk, a child
        /// route per tab at its path segment, loaded from the tab's chunk, and the config
        /// editor at `edit`, from its own chunk.
        #[component(transparent)]
        pub fn DetailRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
            view! {
                <ParentRoute path=path!("/endpoints/:name") view=|| lazy_view(preload_detail, detail_page)>
                    $(<Route path=(StaticSegment(Tab::$tab.segment()),) view=|| lazy_view($preload, $name)/>)*
                    <Route path=(StaticSegment(EDIT_SEGMENT),) view=|| lazy_view(preload_edit, edit_page)/>
                </ParentRoute>
            }
            .into_inner()
        }

        /// Fetch the page's chunk and every tab's (see [`crate::chunks::preload_later`]).
        pub fn preload_all() {
            // Every tab is bound here (a tab missing from this list does not compile).
            fn _every_tab_is_bound(tab: Tab) {
                match tab {
                    $(Tab::$tab => {})*
                }
            }
            leptos::task::spawn_local(async {
                let _ = preload_detail().await;
                $(let _ = $preload().await;)*
                let _ = preload_edit().await;
            });
        }
    };
}

tab_chunks! {
    Overview => (overview_tab, preload_overview, detail, OverviewTab);
    Logs => (logs_tab, preload_logs, logs, LogsTab);
    Permissions => (permissions_tab, preload_permissions, permissions, PermissionsTab);
    Schema => (schema_tab, preload_schema, schema, SchemaTab);
}
