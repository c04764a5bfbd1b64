"""``__init__`` templates of :mod:`pinset._dataclass`, by field count, without and with the
after hook: source here, so that their bytecode is cached with this module's instead of
compiled at each start (about 3 % of a warm install). Each is what ``_init_source`` in
``pinset._dataclass`` makes (a test compares their bytecode). Only their code is used, with
other names and another scope: the two names below only make this module whole."""

# mypy: ignore-errors

__pinset_set = object.__setattr__
__pinset_after = object.__init__


def init_0(self):
    pass


def init_0_after(self):
    __pinset_after(self)


def init_1(self, __pinset_0):
    __pinset_set(self, "__pinset_0", __pinset_0)


def init_1_after(self, __pinset_0):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_after(self)


def init_2(self, __pinset_0, __pinset_1):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)


def init_2_after(self, __pinset_0, __pinset_1):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_after(self)


def init_3(self, __pinset_0, __pinset_1, __pinset_2):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)


def init_3_after(self, __pinset_0, __pinset_1, __pinset_2):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_after(self)


def init_4(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)


def init_4_after(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_after(self)


def init_5(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)


def init_5_after(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_after(self)


def init_6(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4, __pinset_5):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)


def init_6_after(self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4, __pinset_5):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)
    __pinset_after(self)


def init_7(
    self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4, __pinset_5, __pinset_6
):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)
    __pinset_set(self, "__pinset_6", __pinset_6)


def init_7_after(
    self, __pinset_0, __pinset_1, __pinset_2, __pinset_3, __pinset_4, __pinset_5, __pinset_6
):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)
    __pinset_set(self, "__pinset_6", __pinset_6)
    __pinset_after(self)


def init_8(
    self,
    __pinset_0,
    __pinset_1,
    __pinset_2,
    __pinset_3,
    __pinset_4,
    __pinset_5,
    __pinset_6,
    __pinset_7,
):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)
    __pinset_set(self, "__pinset_6", __pinset_6)
    __pinset_set(self, "__pinset_7", __pinset_7)


def init_8_after(
    self,
    __pinset_0,
    __pinset_1,
    __pinset_2,
    __pinset_3,
    __pinset_4,
    __pinset_5,
    __pinset_6,
    __pinset_7,
):
    __pinset_set(self, "__pinset_0", __pinset_0)
    __pinset_set(self, "__pinset_1", __pinset_1)
    __pinset_set(self, "__pinset_2", __pinset_2)
    __pinset_set(self, "__pinset_3", __pinset_3)
    __pinset_set(self, "__pinset_4", __pinset_4)
    __pinset_set(self, "__pinset_5", __pinset_5)
    __pinset_set(self, "__pinset_6", __pinset_6)
    __pinset_set(self, "__pinset_7", __pinset_7)
    __pinset_after(self)
