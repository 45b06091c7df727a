/**
 * The main job: train a classifier on Fashion-MNIST inside the runtime ({@code ./ignis train}).
 * Until the tensor, autograd and nn bundles land, the job trains the smallest real model there is,
 * a softmax (multinomial logistic) regression, in plain Java.
 */
package ignis.examples.fashion;
