"""Models, one file per family. Import them from their family module, e.g.
`from nnzoo.models.neuron import Perceptron`."""
