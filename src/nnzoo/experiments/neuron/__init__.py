"""Neurons and perceptrons: McCulloch-Pitts logic gates, the perceptron rule, XOR by backprop.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("neuron", "Neurons and perceptrons", position=1,
       about="Threshold units with hand-set weights compute logic gates; the perceptron rule "
             "learns a line that separates two classes when there is one; a hidden layer "
             "trained by backpropagation computes XOR, which no single unit can.",
       order=("logic-gates", "perceptron", "xor-backprop"))
