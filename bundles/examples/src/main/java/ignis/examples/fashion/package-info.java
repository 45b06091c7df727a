/**
 * The main job: train a classifier on Fashion-MNIST inside the runtime ({@code ./ignis train}),
 * with the recipe of {@code ../shared/bench/torch_fashion_mnist.py}: an MLP (784-256-128-10, ReLU) or
 * a CNN, Adam with lr 1e-3, batch 64, cross-entropy.
 */
package ignis.examples.fashion;
