//! Graph algorithms over the model's shapes.

use crate::model::{Member, Shape};
use std::collections::HashMap;

/// A graph of shapes: an edge from each of `nodes` to each target of its members that
/// `follow` keeps, when that target is one of `nodes` too.
pub(crate) struct MemberGraph<'m> {
    pub(crate) nodes: Vec<&'m Shape>,
    edges: Vec<Vec<usize>>,
}

impl<'m> MemberGraph<'m> {
    pub(crate) fn new(nodes: Vec<&'m Shape>, follow: impl Fn(&Member) -> bool) -> Self {
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let edges = nodes
            .iter()
            .map(|s| {
                s.kind
                    .members()
                    .into_iter()
                    .filter(|m| follow(m))
                    .filter_map(|m| index.get(m.target.as_str()).copied())
                    .collect()
            })
            .collect();
        MemberGraph { nodes, edges }
    }

    /// The strongly connected components, as indexes into `nodes`.
    pub(crate) fn components(&self) -> Vec<Vec<usize>> {
        strongly_connected(&self.edges)
    }

    /// The nodes on a cycle (in a component of several, or with an edge to
    /// themselves), in the order of `nodes`.
    pub(crate) fn on_cycles(&self) -> Vec<&'m Shape> {
        let mut cyclic: Vec<usize> = self
            .components()
            .into_iter()
            .filter(|c| c.len() > 1 || self.edges[c[0]].contains(&c[0]))
            .flatten()
            .collect();
        cyclic.sort_unstable();
        cyclic.into_iter().map(|i| self.nodes[i]).collect()
    }
}

/// The strongly connected components of a graph given as adjacency lists (Tarjan's
/// algorithm with an explicit stack), each a list of node indexes.
pub(crate) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges have been followed)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut followed)) = work.last_mut() {
            if *followed == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*followed) {
                *followed += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    fn sorted(mut c: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        for x in &mut c {
            x.sort_unstable();
        }
        c.sort();
        c
    }

    #[test]
    fn components_of_cycles_chains_and_self_loops() {
        // 0 -> 1 -> 2 -> 0 (a cycle), 2 -> 3, 3 -> 3 (a self loop), 4 alone, 5 -> 4.
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![], vec![4]];
        assert_eq!(
            sorted(strongly_connected(&edges)),
            vec![vec![0, 1, 2], vec![3], vec![4], vec![5]]
        );
        // A chain of 200,000 nodes closed into one cycle: one component, no recursion.
        let n = 200_000;
        let ring: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let components = strongly_connected(&ring);
        assert_eq!(components.len(), 1);
        assert_eq!(components[0].len(), n);
        // Open, the same chain is n components of one node.
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        assert_eq!(strongly_connected(&chain).len(), n);
    }
}
