//! A router that remembers its paths. axum's `Router` cannot be asked what
//! it serves, yet the security tests must visit every route, including the
//! ones added after the tests were written; so every route of Gerbang is
//! added through [`Routes`], which keeps the list beside the router.

use axum::Router;
use axum::routing::MethodRouter;

/// An axum router and the path templates it was given, in order.
pub struct Routes<S = crate::AppState> {
    router: Router<S>,
    paths: Vec<&'static str>,
}

impl<S: Clone + Send + Sync + 'static> Default for Routes<S> {
    fn default() -> Self {
        Routes { router: Router::new(), paths: Vec::new() }
    }
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    /// No routes yet.
    pub fn new() -> Self {
        Routes::default()
    }

    /// Serves `path` (an axum path template) with `handler`.
    #[must_use]
    pub fn route(mut self, path: &'static str, handler: MethodRouter<S>) -> Self {
        self.router = self.router.route(path, handler);
        self.paths.push(path);
        self
    }

    /// These routes and `other`'s.
    #[must_use]
    pub fn merge(mut self, other: Routes<S>) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// The same routes, with `wrap` applied to the router (its layers).
    #[must_use]
    pub fn wrap(mut self, wrap: impl FnOnce(Router<S>) -> Router<S>) -> Self {
        self.router = wrap(self.router);
        self
    }

    /// The path templates, in the order they were added.
    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    /// The router and its path templates.
    pub fn into_parts(self) -> (Router<S>, Vec<&'static str>) {
        (self.router, self.paths)
    }
}
