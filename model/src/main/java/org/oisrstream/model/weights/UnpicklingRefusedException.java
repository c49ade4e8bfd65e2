package org.oisrstream.model.weights;

import net.razorvine.pickle.PickleException;

/** A pickle asked for something a tensor state dict never needs (an unknown global, an object call, ...). */
public class UnpicklingRefusedException extends PickleException {

    public UnpicklingRefusedException(String message) {
        super(message);
    }
}
